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

    /**
     * Sets a shard's exact ring membership (created if missing): what an online move publishes at
     * every epoch, one virtual node more (add) or less (drain) each time.
     */
    record SetRing(String id, String location, int weight, io.distpatterns.platform.sharding.ShardState state, long[] tokens)
            implements ShardMapChange {
    }

    record PinKey(String key, String shardId) implements ShardMapChange {
    }

    record UnpinKey(String key) implements ShardMapChange {
    }
}
