package io.distpatterns.platform.sharding;

import java.util.List;
import java.util.Map;

/**
 * The shard map as shard-router publishes it to clients ({@code GET /shards/map}): enough to
 * rebuild an identical {@link ShardMap}, tokens included.
 */
public record ShardMapDocument(long version, int vnodesPerShard, List<Shard> shards, Map<String, String> pinned,
                               Map<String, long[]> tokens) {

    public static ShardMapDocument of(ShardMap map) {
        return new ShardMapDocument(map.version(), map.vnodesPerShard(), map.shards(), map.pinned(), map.tokens());
    }

    public ShardMap toMap() {
        return new ShardMap(version, vnodesPerShard, shards, pinned == null ? Map.of() : pinned,
                tokens == null ? Map.of() : tokens);
    }
}
