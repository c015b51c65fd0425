package io.distpatterns.shardrouter.domain;

/** One edit of the shard map. Each is applied to the current version by {@link ShardMapRules}. */
public sealed interface ShardMapChange {

    /** {@code online}: the shard joins JOINING (tokens placed, no range yet) and an online move gives it its ranges. */
    record AddShard(String id, String location, int weight, boolean online) implements ShardMapChange {

        public AddShard(String id, String location, int weight) {
            this(id, location, weight, false);
        }
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
