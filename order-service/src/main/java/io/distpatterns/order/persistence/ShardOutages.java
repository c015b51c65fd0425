package io.distpatterns.order.persistence;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.distpatterns.order.domain.ShardUnavailableException;

/**
 * Shards known to be down, refused at once. After a connection-level failure
 * ({@link ShardUnavailableException}) a shard is refused without trying for {@code probeInterval};
 * then one request at a time tries it (the probe) while the others are still refused, until a probe
 * succeeds. Without this every request for a down shard waits the pool's connection timeout (2 s):
 * request threads pile up behind a dead database, and the gateway sees a healthy service answer
 * slowly (the system test saw that open order-service's breaker for every shard).
 */
final class ShardOutages {

    private static final class Outage {
        final AtomicBoolean probing = new AtomicBoolean();
        volatile long retryAtNanos;
        volatile ShardUnavailableException cause;
    }

    private final Map<String, Outage> outages = new ConcurrentHashMap<>();
    private final long probeIntervalNanos;
    private final LongSupplier nanoClock;

    ShardOutages(Duration probeInterval, LongSupplier nanoClock) {
        this.probeIntervalNanos = probeInterval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Runs {@code work} on {@code shardId} unless the shard is known to be down (then 503 at once). */
    <T> T guard(String shardId, Supplier<T> work) {
        Outage outage = outages.get(shardId);
        boolean probe = false;
        if (outage != null) {
            if (nanoClock.getAsLong() - outage.retryAtNanos < 0 || !outage.probing.compareAndSet(false, true)) {
                throw new ShardUnavailableException(shardId, outage.cause);
            }
            probe = true;
        }
        try {
            T result = work.get();
            if (probe) {
                outages.remove(shardId, outage);
            }
            return result;
        } catch (ShardUnavailableException e) {
            Outage down = outages.computeIfAbsent(shardId, k -> new Outage());
            down.cause = e;
            down.retryAtNanos = nanoClock.getAsLong() + probeIntervalNanos;
            throw e;
        } finally {
            if (probe) {
                outage.probing.set(false);
            }
        }
    }

    boolean isDown(String shardId) {
        return outages.containsKey(shardId);
    }
}
