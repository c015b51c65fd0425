package io.distpatterns.shardrouter.domain;

/** One edit of the shard map. Each is applied to the current version by {@link ShardMapRules}. */
public sealed interface ShardMapChange {

    record AddShard(String id, String location, int weight) implements ShardMapChange {
    }

    record SetWeight(String id, int weight) implements ShardMapChange {
    }

    record DrainShard(String id) implements ShardMapChange {
    }

    record RemoveShard(String id) implements ShardMapChange {
    }

    record PinKey(String key, String shardId) implements ShardMapChange {
    }

    record UnpinKey(String key) implements ShardMapChange {
    }
}
