package io.distpatterns.platform.sharding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One version (epoch) of the shard map: the shards, the ring over the ACTIVE ones, and the
 * directory of pinned keys. Routing a key: its pin if it has one, else its owner on the ring.
 * Immutable; two maps built from the same shards, tokens and pins route identically, which is what
 * lets clients route locally from a copy.
 */
public final class ShardMap {

    private final long version;
    private final int vnodesPerShard;
    private final Map<String, Shard> shards;
    private final Map<String, String> pinned;
    private final Map<String, long[]> tokens;
    private final ShardRing ring;

    /** A map whose shards all sit on the ring at hashed token positions. */
    public ShardMap(long version, int vnodesPerShard, List<Shard> shards, Map<String, String> pinned) {
        this(version, vnodesPerShard, shards, pinned, Map.of());
    }

    /**
     * A map with explicit tokens per shard (as shard-router allocates and stores them); a shard
     * without tokens gets hashed ones. Only ACTIVE shards' tokens are on the ring.
     */
    public ShardMap(long version, int vnodesPerShard, List<Shard> shards, Map<String, String> pinned,
                    Map<String, long[]> tokens) {
        Map<String, Shard> byId = new LinkedHashMap<>();
        for (Shard shard : shards) {
            if (byId.put(shard.id(), shard) != null) {
                throw new IllegalArgumentException("duplicate shard id " + shard.id());
            }
        }
        for (var pin : pinned.entrySet()) {
            if (!byId.containsKey(pin.getValue())) {
                throw new IllegalArgumentException("key " + pin.getKey() + " is pinned to unknown shard " + pin.getValue());
            }
        }
        this.version = version;
        this.vnodesPerShard = vnodesPerShard;
        this.shards = Collections.unmodifiableMap(byId);
        this.pinned = Collections.unmodifiableMap(new TreeMap<>(pinned));
        Map<String, long[]> allTokens = new TreeMap<>();
        Map<String, long[]> activeTokens = new TreeMap<>();
        for (Shard shard : byId.values()) {
            long[] own = tokens.get(shard.id());
            if (own == null || own.length == 0) {
                own = ShardRing.hashedTokens(shard.id(), ShardRing.tokenCount(shard.weight(), vnodesPerShard));
            }
            allTokens.put(shard.id(), own.clone());
            if (shard.active()) {
                activeTokens.put(shard.id(), own);
            }
        }
        this.tokens = Collections.unmodifiableMap(allTokens);
        this.ring = ShardRing.of(activeTokens);
    }

    /** Where {@code key} lives in this version of the map. */
    public Route route(Object key) {
        String canonical = ShardKey.canonical(key);
        String pin = pinned.get(canonical);
        if (pin != null) {
            return new Route(canonical, pin, version, true);
        }
        return new Route(canonical, ring.ownerOf(ShardKey.hashCanonical(canonical)), version, false);
    }

    public long version() {
        return version;
    }

    public int vnodesPerShard() {
        return vnodesPerShard;
    }

    public List<Shard> shards() {
        return List.copyOf(shards.values());
    }

    public Optional<Shard> shard(String id) {
        return Optional.ofNullable(shards.get(id));
    }

    /** Pinned keys (canonical form) and their shard. */
    public Map<String, String> pinned() {
        return pinned;
    }

    public ShardRing ring() {
        return ring;
    }

    /** Tokens of every shard (a DRAINING shard's are kept but not on the ring). Do not modify the arrays. */
    public Map<String, long[]> tokens() {
        return tokens;
    }

    /** Tokens of the ACTIVE shards only: the ring's contents. */
    public Map<String, long[]> activeTokens() {
        Map<String, long[]> active = new TreeMap<>();
        shards.values().stream().filter(Shard::active).forEach(s -> active.put(s.id(), tokens.get(s.id())));
        return active;
    }

    public long activeShardCount() {
        return shards.values().stream().filter(Shard::active).count();
    }

    /** A key's placement: which shard, by which map version, and whether a pin decided it. */
    public record Route(String key, String shardId, long version, boolean pinned) {
    }
}
