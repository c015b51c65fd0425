package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test fixtures: standard shards and maps. */
final class Shards {

    private Shards() {
    }

    static Shard active(String id) {
        return new Shard(id, id, Shard.STANDARD_WEIGHT, ShardState.ACTIVE);
    }

    static List<Shard> standard(int count) {
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shards.add(active("shard_" + i));
        }
        return shards;
    }

    static ShardMap map(long version, int vnodes, List<Shard> shards) {
        return new ShardMap(version, vnodes, shards, Map.of());
    }
}
