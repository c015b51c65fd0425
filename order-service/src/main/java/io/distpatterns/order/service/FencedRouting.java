package io.distpatterns.order.service;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.distpatterns.order.config.ReshardProperties;
import io.distpatterns.order.domain.StaleRouteException;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.order.persistence.UnitFences;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import org.springframework.stereotype.Component;

/**
 * Routes a customer's work by the current map epoch and follows a move. A write runs with the
 * epoch it routed with ({@link UnitFences#admit} in its transaction); when the shard refuses it,
 * the map is refreshed (to at least the fence's epoch) and the write runs again, backing off while
 * the range is frozen, for at most {@code orders.reshard.write-wait}. A read that finds nothing
 * asks the shard whether the customer's range moved off it at a newer epoch and then reads the
 * new owner: so a moved order is never answered 404 from its old shard.
 */
@Component
class FencedRouting {

    private final ShardMapSource maps;
    private final ShardDatabases shards;
    private final ReshardProperties properties;
    private final Counter frozen;
    private final Counter moved;
    private final Counter exhausted;
    private final Counter readRetries;
    private final Timer fenceWait;

    FencedRouting(ShardMapSource maps, ShardDatabases shards, ReshardProperties properties, MeterRegistry meters) {
        this.maps = maps;
        this.shards = shards;
        this.properties = properties;
        this.frozen = Counter.builder("reshard.write.refusals").tag("reason", "frozen")
                .description("Writes a shard refused because their unit was frozen for a move (retried)").register(meters);
        this.moved = Counter.builder("reshard.write.refusals").tag("reason", "moved")
                .description("Writes a shard refused because they were routed with an older map epoch (retried)").register(meters);
        this.exhausted = Counter.builder("reshard.write.refusals.exhausted")
                .description("Writes still refused after orders.reshard.write-wait: answered 503").register(meters);
        this.readRetries = Counter.builder("reshard.read.rerouted")
                .description("Reads that found their customer moved to another shard and asked it").register(meters);
        this.fenceWait = Timer.builder("reshard.write.fence.wait").publishPercentileHistogram()
                .description("Extra time a refused write spent until it succeeded on the right shard").register(meters);
    }

    /** Runs {@code attempt(shard, epoch)} on the customer's shard until no fence refuses it. */
    <T> T write(String customerId, BiFunction<Shard, Long, T> attempt) {
        long start = System.nanoTime();
        long deadline = start + properties.writeWait().toNanos();
        int refusals = 0;
        while (true) {
            ShardMap map = maps.current();
            Shard shard = map.shard(map.route(customerId).shardId()).orElseThrow();
            try {
                T result = attempt.apply(shard, map.version());
                if (refusals > 0) {
                    fenceWait.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }
                return result;
            } catch (StaleRouteException e) {
                refusals++;
                (e.frozen() ? frozen : moved).increment();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    exhausted.increment();
                    throw e;
                }
                if (e.frozen()) {
                    sleep(Math.min(50, 2L << Math.min(refusals, 5)));
                    maps.refreshTo(map.version() + 1, 0);
                } else {
                    maps.refreshTo(e.epoch(), TimeUnit.NANOSECONDS.toMillis(left));
                }
            }
        }
    }

    /**
     * Reads from the customer's shard; when {@code suspicious} holds for the answer (nothing found)
     * and the shard says the customer's range moved off it at a newer epoch, reads the new owner.
     */
    <T> T read(String customerId, BiFunction<Shard, ShardDatabases.OpenShard, T> work, Predicate<T> suspicious) {
        long deadline = System.nanoTime() + properties.writeWait().toNanos();
        while (true) {
            ShardMap map = maps.current();
            Shard shard = map.shard(map.route(customerId).shardId()).orElseThrow();
            T result = shards.read(shard, db -> work.apply(shard, db));
            if (!suspicious.test(result)) {
                return result;
            }
            Optional<Long> movedAt = shards.read(shard, db -> UnitFences.movedAway(db.jdbc(), customerId, map.version()));
            long left = deadline - System.nanoTime();
            if (movedAt.isEmpty() || left <= 0) {
                return result;
            }
            readRetries.increment();
            maps.refreshTo(movedAt.get(), TimeUnit.NANOSECONDS.toMillis(left));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a unit fence", e);
        }
    }
}
