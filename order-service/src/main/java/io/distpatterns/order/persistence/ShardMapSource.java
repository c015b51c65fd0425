package io.distpatterns.order.persistence;

import java.util.Map;
import java.util.function.Supplier;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapClient;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.platform.sharding.TokenAllocator;

/**
 * Where the order service's shard map comes from: shard-router through {@link ShardMapClient}
 * (routing locally from a polled copy), or, with no shard-router configured, a built-in map of
 * {@code orders_shard_0..N-1} with the same balanced tokens shard-router would start with.
 */
public final class ShardMapSource {

    private final Supplier<ShardMap> current;
    private final String description;

    private ShardMapSource(Supplier<ShardMap> current, String description) {
        this.current = current;
        this.description = description;
    }

    public static ShardMapSource of(ShardMapClient client) {
        return new ShardMapSource(() -> client.current().orElseThrow(() ->
                new io.distpatterns.platform.sharding.ShardMapUnavailableException(
                        "no shard map loaded from shard-router yet")), "shard-router");
    }

    public static ShardMapSource builtIn(int count, int vnodesPerShard) {
        var shards = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new Shard("orders_shard_" + i, "orders_shard_" + i, Shard.STANDARD_WEIGHT, ShardState.ACTIVE))
                .toList();
        ShardMap map = new ShardMap(1, vnodesPerShard, shards, Map.of(), TokenAllocator.balanced(shards, vnodesPerShard));
        return new ShardMapSource(() -> map, "built-in map of " + count + " shards");
    }

    public ShardMap current() {
        return current.get();
    }

    /** The shard of a customer. */
    public Shard shardOf(String customerId) {
        ShardMap map = current();
        String id = map.route(customerId).shardId();
        return map.shard(id).orElseThrow();
    }

    @Override
    public String toString() {
        return description;
    }
}
