package io.distpatterns.platform.sharding;

import java.util.List;
import java.util.Map;

/**
 * The shard map as shard-router publishes it ({@code GET /shards}) and clients read it: enough to
 * rebuild an identical {@link ShardMap}.
 */
public record ShardMapDocument(long version, int vnodesPerShard, List<Shard> shards, Map<String, String> pinned) {

    public static ShardMapDocument of(ShardMap map) {
        return new ShardMapDocument(map.version(), map.vnodesPerShard(), map.shards(), map.pinned());
    }

    public ShardMap toMap() {
        return new ShardMap(version, vnodesPerShard, shards, pinned == null ? Map.of() : pinned);
    }
}
