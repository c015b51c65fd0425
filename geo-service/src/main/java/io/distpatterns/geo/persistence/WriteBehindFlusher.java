package io.distpatterns.geo.persistence;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.distpatterns.geo.domain.DriverIndex;
import io.distpatterns.geo.domain.DriverPosition;
import io.distpatterns.geo.domain.PositionStore;
import io.distpatterns.geo.domain.WriteBehindQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps PostgreSQL behind the index by at most one interval. On start (before the web server
 * accepts requests) it reloads every position fresher than the TTL into the index; then, every
 * {@code interval}, it writes the pending positions in batches; on a clean stop it writes what is
 * left. A crash loses at most the updates applied since the last successful flush (one interval,
 * default 1 s); a failed flush puts its batch back and is retried on the next tick.
 */
public class WriteBehindFlusher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WriteBehindFlusher.class);
    static final int BATCH_SIZE = 5_000;

    private final PositionStore store;
    private final WriteBehindQueue queue;
    private final DriverIndex index;
    private final Duration interval;
    private final Duration ttl;
    private final Clock clock;
    private final Counter written;
    private final Counter failures;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;

    public WriteBehindFlusher(PositionStore store, WriteBehindQueue queue, DriverIndex index, Duration interval,
                              Duration ttl, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.queue = queue;
        this.index = index;
        this.interval = interval;
        this.ttl = ttl;
        this.clock = clock;
        this.written = Counter.builder("geo.writebehind.rows").description("Positions written to PostgreSQL")
                .register(registry);
        this.failures = Counter.builder("geo.writebehind.failures").description("Failed write-behind batches")
                .register(registry);
    }

    @Override
    public void start() {
        long started = System.nanoTime();
        int loaded = store.loadRecordedAfter(clock.instant().minus(ttl), index::update);
        log.info("Reloaded {} fresh driver positions from PostgreSQL in {} ms", loaded,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "geo-write-behind");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Writes everything pending now; returns how many positions were written. */
    public int flush() {
        int total = 0;
        int budget = queue.size();
        while (budget > 0) {
            List<DriverPosition> batch = queue.drain(Math.min(BATCH_SIZE, budget));
            if (batch.isEmpty()) {
                break;
            }
            try {
                store.saveAll(batch);
            } catch (RuntimeException e) {
                queue.requeue(batch);
                throw e;
            }
            written.increment(batch.size());
            total += batch.size();
            budget -= batch.size();
        }
        return total;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("Write-behind flush failed, will retry: {}", e.toString());
        }
    }
}
