package io.distpatterns.shardrouter.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardKey;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardRing;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.platform.sharding.TokenAllocator;

/**
 * The rules of editing the shard map: applying a {@link ShardMapChange} to version {@code v} gives
 * version {@code v + 1}, or a reason why not. A new or heavier shard's tokens are placed by
 * {@link TokenAllocator} so shares stay close to weights and only keys bound for it move; a
 * removed shard's ranges pass to the next token clockwise; a draining shard keeps its tokens off
 * the ring. Shards are never renamed; at least one ACTIVE shard
 * always remains; a pin points at an ACTIVE shard; a shard with pinned keys cannot be removed or
 * drained until they are unpinned or moved.
 */
public final class ShardMapRules {

    private ShardMapRules() {
    }

    public static ShardMap apply(ShardMap map, ShardMapChange change) {
        List<Shard> shards = new ArrayList<>(map.shards());
        Map<String, String> pinned = new HashMap<>(map.pinned());
        Map<String, long[]> tokens = new HashMap<>(map.tokens());
        requireNoJoiningShard(map, change);
        if (change instanceof ShardMapChange.AddShard add) {
            if (map.shard(add.id()).isPresent()) {
                throw new ShardMapConflictException("shard '" + add.id() + "' already exists");
            }
            shards.add(new Shard(add.id(), add.location(), add.weight(), add.online() ? ShardState.JOINING : ShardState.ACTIVE));
            Map<String, Integer> weights = activeWeights(shards);
            weights.put(add.id(), add.weight());
            tokens.put(add.id(), TokenAllocator.grow(map.activeTokens(), weights, add.id(),
                    ShardRing.tokenCount(add.weight(), map.vnodesPerShard())));
        } else if (change instanceof ShardMapChange.SetWeight set) {
            Shard shard = existing(map, set.id());
            shards.set(shards.indexOf(shard), shard.withWeight(set.weight()));
            if (shard.active()) {
                tokens.put(shard.id(), resized(map, shards, shard.id(), ShardRing.tokenCount(set.weight(), map.vnodesPerShard())));
            }
        } else if (change instanceof ShardMapChange.DrainShard drain) {
            Shard shard = existing(map, drain.id());
            if (!shard.active()) {
                throw new ShardMapConflictException("shard '" + drain.id() + "' is already draining");
            }
            requireAnotherActive(map, shard, "drain");
            requireNoPins(map, shard, "drain");
            shards.set(shards.indexOf(shard), shard.withState(ShardState.DRAINING));
        } else if (change instanceof ShardMapChange.RemoveShard remove) {
            Shard shard = existing(map, remove.id());
            requireAnotherActive(map, shard, "remove");
            requireNoPins(map, shard, "remove");
            shards.remove(shard);
            tokens.remove(shard.id());
        } else if (change instanceof ShardMapChange.SetRing ring) {
            if (ring.tokens().length == 0) {
                throw new ShardMapConflictException("shard '" + ring.id() + "' needs at least one token");
            }
            java.util.Set<Long> own = new java.util.HashSet<>();
            for (long t : ring.tokens()) {
                if (!own.add(t)) {
                    throw new ShardMapConflictException("token " + t + " is listed twice");
                }
            }
            for (var other : map.tokens().entrySet()) {
                if (!other.getKey().equals(ring.id())) {
                    for (long t : other.getValue()) {
                        if (own.contains(t)) {
                            throw new ShardMapConflictException("token " + t + " belongs to shard '" + other.getKey() + "'");
                        }
                    }
                }
            }
            Shard updated = new Shard(ring.id(), ring.location(), ring.weight(), ring.state());
            var existing = map.shard(ring.id());
            if (existing.isPresent()) {
                if (!updated.active()) {
                    requireAnotherActive(map, existing.get(), "drain");
                    requireNoPins(map, existing.get(), "drain");
                }
                shards.set(shards.indexOf(existing.get()), updated);
            } else {
                shards.add(updated);
            }
            long[] sorted = ring.tokens().clone();
            java.util.Arrays.sort(sorted);
            tokens.put(ring.id(), sorted);
        } else if (change instanceof ShardMapChange.PinKey pin) {
            Shard shard = existing(map, pin.shardId());
            if (!shard.active()) {
                throw new ShardMapConflictException("cannot pin to shard '" + shard.id() + "': it is draining");
            }
            pinned.put(ShardKey.canonical(pin.key()), shard.id());
        } else if (change instanceof ShardMapChange.UnpinKey unpin) {
            if (pinned.remove(ShardKey.canonical(unpin.key())) == null) {
                throw new ShardMapConflictException("key '" + unpin.key() + "' is not pinned");
            }
        } else {
            throw new IllegalArgumentException("unknown change " + change);
        }
        return new ShardMap(map.version() + 1, map.vnodesPerShard(), shards, pinned, tokens);
    }

    /** Balanced tokens for a new map of {@code shards}, as if they joined in list order. */
    public static ShardMap initial(long version, int vnodesPerShard, List<Shard> shards) {
        return new ShardMap(version, vnodesPerShard, shards, Map.of(), TokenAllocator.balanced(shards, vnodesPerShard));
    }

    /** A shard's tokens grown (taking from the fullest shards) or shrunk (largest arcs first) to {@code count}. */
    private static long[] resized(ShardMap map, List<Shard> shardsAfter, String id, int count) {
        long[] current = map.tokens().get(id);
        if (count > current.length) {
            long[] added = TokenAllocator.grow(map.activeTokens(), activeWeights(shardsAfter), id, count - current.length);
            long[] all = java.util.Arrays.copyOf(current, current.length + added.length);
            System.arraycopy(added, 0, all, current.length, added.length);
            java.util.Arrays.sort(all);
            return all;
        }
        return count < current.length ? TokenAllocator.shrink(map.activeTokens(), id, count) : current;
    }

    /**
     * While a shard is JOINING, its online move has planned its ranges against this map: only the
     * move's own ring steps and removing the joining shard are allowed (a new shard's or a heavier
     * shard's tokens could also land on the joining shard's positions).
     */
    private static void requireNoJoiningShard(ShardMap map, ShardMapChange change) {
        var joining = map.shards().stream().filter(s -> s.state() == ShardState.JOINING).findFirst();
        if (joining.isEmpty() || change instanceof ShardMapChange.SetRing
                || change instanceof ShardMapChange.RemoveShard remove && remove.id().equals(joining.get().id())) {
            return;
        }
        throw new ShardMapConflictException("shard '" + joining.get().id() + "' is joining online: its move must finish "
                + "(or the shard be removed) before the map is edited otherwise");
    }

    private static Map<String, Integer> activeWeights(List<Shard> shards) {
        Map<String, Integer> weights = new HashMap<>();
        shards.stream().filter(Shard::active).forEach(s -> weights.put(s.id(), s.weight()));
        return weights;
    }

    private static Shard existing(ShardMap map, String id) {
        return map.shard(id).orElseThrow(() -> new ShardNotFoundException(id));
    }

    private static void requireAnotherActive(ShardMap map, Shard shard, String action) {
        if (map.activeShardCount() <= 1 && shard.active()) {
            throw new ShardMapConflictException("cannot " + action + " shard '" + shard.id() + "': it is the last active shard");
        }
    }

    private static void requireNoPins(ShardMap map, Shard shard, String action) {
        long pins = map.pinned().values().stream().filter(shard.id()::equals).count();
        if (pins > 0) {
            throw new ShardMapConflictException("cannot " + action + " shard '" + shard.id() + "': " + pins
                    + " key(s) are pinned to it; unpin or re-pin them first");
        }
    }
}
