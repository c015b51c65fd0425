package io.distpatterns.order.persistence;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapClient;
import io.distpatterns.platform.sharding.ShardMapUnavailableException;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.platform.sharding.TokenAllocator;

/**
 * Where the order service's shard map comes from: shard-router through {@link ShardMapClient}
 * (routing locally from a polled copy), or, with no shard-router configured, the service's own map:
 * {@code orders_shard_0..N-1} with the same balanced tokens shard-router would start with, stored
 * in the directory database so the epochs an online move publishes survive a restart.
 *
 * <p>{@link #publish} installs the next epoch of a move; {@link #refreshTo} is what a writer calls
 * when a shard refused it for a newer epoch.
 */
public final class ShardMapSource {

    /** Installs a new map version where the map lives; returns the installed map (with its real version). */
    public interface Publisher {
        ShardMap publish(ShardMap next, String shardId, long expectedVersion);
    }

    private final Supplier<ShardMap> current;
    private final Runnable refresh;
    private final Publisher publisher;
    private final String description;

    private ShardMapSource(Supplier<ShardMap> current, Runnable refresh, Publisher publisher, String description) {
        this.current = current;
        this.refresh = refresh;
        this.publisher = publisher;
        this.description = description;
    }

    /** shard-router's map; moves publish their epochs through {@code publisher} (shard-router's ring API). */
    public static ShardMapSource of(ShardMapClient client, Publisher publisher) {
        return new ShardMapSource(() -> client.current().orElseThrow(() ->
                new ShardMapUnavailableException("no shard map loaded from shard-router yet")), client::refresh,
                publisher, "shard-router");
    }

    /** shard-router's map, read only. */
    public static ShardMapSource of(ShardMapClient client) {
        return of(client, (next, shardId, expected) -> {
            throw new UnsupportedOperationException("this map source cannot publish");
        });
    }

    /** The built-in map of {@code count} shards, not stored (tests, tools). */
    public static ShardMapSource builtIn(int count, int vnodesPerShard) {
        ShardMap map = builtInMap(count, vnodesPerShard);
        return new ShardMapSource(() -> map, () -> { }, (next, shardId, expected) -> {
            throw new UnsupportedOperationException("the built-in map is fixed");
        }, "built-in map of " + count + " shards");
    }

    /** The service's own map, kept in {@code store}: the stored one, else the built-in map of {@code count} shards. */
    public static ShardMapSource local(int count, int vnodesPerShard, MoveStore store) {
        ShardMap initial = store.localMap().orElseGet(() -> {
            ShardMap built = builtInMap(count, vnodesPerShard);
            store.saveLocalMap(built, 0);
            return store.localMap().orElse(built);
        });
        AtomicReference<ShardMap> map = new AtomicReference<>(initial);
        return new ShardMapSource(map::get, () -> store.localMap().ifPresent(stored -> {
            map.accumulateAndGet(stored, (a, b) -> b.version() > a.version() ? b : a);
        }), (next, shardId, expected) -> {
            if (!store.saveLocalMap(next, expected)) {
                throw new IllegalStateException("the local shard map is no longer at version " + expected);
            }
            map.set(next);
            return next;
        }, "own map (initially " + count + " shards), stored in the directory database");
    }

    static ShardMap builtInMap(int count, int vnodesPerShard) {
        var shards = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new Shard("orders_shard_" + i, "orders_shard_" + i, Shard.STANDARD_WEIGHT, ShardState.ACTIVE))
                .toList();
        return new ShardMap(1, vnodesPerShard, shards, Map.of(), TokenAllocator.balanced(shards, vnodesPerShard));
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

    /** Refreshes the map until it is at least {@code epoch} or {@code timeoutMs} passed; returns the map then. */
    public ShardMap refreshTo(long epoch, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        refresh.run();
        while (current().version() < epoch && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            refresh.run();
        }
        return current();
    }

    /** Installs the next epoch of a move that changes {@code shardId}. */
    public ShardMap publish(ShardMap next, String shardId, long expectedVersion) {
        return publisher.publish(next, shardId, expectedVersion);
    }

    @Override
    public String toString() {
        return description;
    }
}
