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
 * Immutable; two maps built from the same shards, pins and virtual-node count route identically,
 * which is what lets clients route locally from a copy.
 */
public final class ShardMap {

    private final long version;
    private final int vnodesPerShard;
    private final Map<String, Shard> shards;
    private final Map<String, String> pinned;
    private final ShardRing ring;

    public ShardMap(long version, int vnodesPerShard, List<Shard> shards, Map<String, String> pinned) {
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
        this.ring = ShardRing.of(byId.values(), vnodesPerShard);
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

    public long activeShardCount() {
        return shards.values().stream().filter(Shard::active).count();
    }

    /** A key's placement: which shard, by which map version, and whether a pin decided it. */
    public record Route(String key, String shardId, long version, boolean pinned) {
    }
}
