package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adding or draining a shard one virtual node at a time, so an online move can switch ownership
 * of one small ring range per map epoch instead of a fifth of the key space at once.
 *
 * <p>Adding shard S with tokens {@code t1 < t2 < ... < tn} (placed by {@link TokenAllocator}
 * exactly as a one-shot add would place them): step 0 is the map without S; step k has S ACTIVE
 * with its first k tokens; step n is the one-shot result. Draining S (tokens in ascending order):
 * step k has S ACTIVE without its first k tokens, and step n has S DRAINING (off the ring). Between
 * step k and k+1 exactly one range changes owner: {@code (predecessor of tk, tk]}, the range of
 * token tk, which goes to S (add) or to the next owner clockwise (drain). Nothing else of the map
 * changes, so the union of all steps moves the same keys as the one-shot change, and no key moves
 * twice.
 *
 * @param base   the map before the move (step 0)
 * @param shard  the shard being added (as it will be when ACTIVE) or drained
 * @param tokens the tokens that enter (add) or leave (drain) the ring, ascending
 * @param adding true to add, false to drain
 */
public record StepwiseMove(ShardMap base, Shard shard, long[] tokens, boolean adding) {

    public StepwiseMove {
        tokens = tokens.clone();
        Arrays.sort(tokens);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a move needs at least one token");
        }
    }

    /** Adding {@code shard} (ACTIVE, with the weight it will have) to {@code base}, tokens placed as a one-shot add would. */
    public static StepwiseMove adding(ShardMap base, Shard shard) {
        if (base.shard(shard.id()).isPresent()) {
            throw new IllegalArgumentException("shard '" + shard.id() + "' already exists");
        }
        Map<String, Integer> weights = new HashMap<>();
        base.shards().stream().filter(Shard::active).forEach(s -> weights.put(s.id(), s.weight()));
        weights.put(shard.id(), shard.weight());
        long[] tokens = TokenAllocator.grow(base.activeTokens(), weights, shard.id(),
                ShardRing.tokenCount(shard.weight(), base.vnodesPerShard()));
        return new StepwiseMove(base, shard.withState(ShardState.ACTIVE), tokens, true);
    }

    /**
     * Adding the JOINING shard {@code shardId} of {@code map} (shard-router placed its tokens when it
     * was added online): step 0 is the map without it.
     */
    public static StepwiseMove joining(ShardMap map, String shardId) {
        Shard shard = map.shard(shardId).orElseThrow(() -> new IllegalArgumentException("shard '" + shardId + "' does not exist"));
        if (shard.state() != ShardState.JOINING) {
            throw new IllegalArgumentException("shard '" + shardId + "' is " + shard.state() + ", not JOINING");
        }
        List<Shard> others = new ArrayList<>(map.shards());
        others.remove(shard);
        Map<String, long[]> tokens = new HashMap<>(map.tokens());
        long[] own = tokens.remove(shardId);
        ShardMap base = new ShardMap(map.version(), map.vnodesPerShard(), others, map.pinned(), tokens);
        return new StepwiseMove(base, shard.withState(ShardState.ACTIVE), own, true);
    }

    /** Draining the ACTIVE shard {@code shardId} of {@code base}, one token at a time. */
    public static StepwiseMove draining(ShardMap base, String shardId) {
        Shard shard = base.shard(shardId).orElseThrow(() -> new IllegalArgumentException("shard '" + shardId + "' does not exist"));
        if (!shard.active()) {
            throw new IllegalArgumentException("shard '" + shardId + "' is not active");
        }
        if (base.activeShardCount() < 2) {
            throw new IllegalArgumentException("cannot drain the last active shard");
        }
        if (base.pinned().containsValue(shardId)) {
            throw new IllegalArgumentException("shard '" + shardId + "' has pinned keys: unpin them first");
        }
        return new StepwiseMove(base, shard, base.tokens().get(shardId), false);
    }

    public int steps() {
        return tokens.length;
    }

    /** The map after {@code k} steps, numbered {@code base.version() + k}. */
    public ShardMap step(int k) {
        return step(k, base.version() + k);
    }

    /** The map after {@code k} steps with the given version (shard-router numbers its own epochs). */
    public ShardMap step(int k, long version) {
        if (k < 0 || k > tokens.length) {
            throw new IllegalArgumentException("step " + k + " is outside [0, " + tokens.length + "]");
        }
        List<Shard> shards = new ArrayList<>(base.shards());
        Map<String, long[]> allTokens = new HashMap<>(base.tokens());
        shards.removeIf(s -> s.id().equals(shard.id()));
        allTokens.remove(shard.id());
        if (adding && k > 0) {
            shards.add(shard);
            allTokens.put(shard.id(), Arrays.copyOfRange(tokens, 0, k));
        } else if (!adding) {
            if (k < tokens.length) {
                shards.add(shard);
                allTokens.put(shard.id(), Arrays.copyOfRange(tokens, k, tokens.length));
            } else {
                shards.add(shard.withState(ShardState.DRAINING));
                allTokens.put(shard.id(), tokens.clone());
            }
        }
        return new ShardMap(version, base.vnodesPerShard(), shards, base.pinned(), allTokens);
    }

    /** What changes owner between step {@code k} and {@code k + 1}: one ring range. */
    public MovePlan unit(int k) {
        return MovePlan.between(step(k), step(k + 1));
    }

    /**
     * Whether {@code map} (any version) routes exactly as step {@code k} does: the same ACTIVE shards
     * with the same tokens, and the same pins. A mover checks this before every switch, so a map
     * edited by someone else during the move stops it instead of moving data by a stale plan.
     */
    public boolean isAtStep(ShardMap map, int k) {
        ShardMap expected = step(k);
        Map<String, long[]> actual = map.activeTokens();
        Map<String, long[]> wanted = expected.activeTokens();
        if (!actual.keySet().equals(wanted.keySet()) || !map.pinned().equals(expected.pinned())) {
            return false;
        }
        for (var entry : wanted.entrySet()) {
            if (!Arrays.equals(sorted(actual.get(entry.getKey())), sorted(entry.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static long[] sorted(long[] tokens) {
        long[] copy = tokens.clone();
        Arrays.sort(copy);
        return copy;
    }
}
