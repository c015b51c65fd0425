package io.distpatterns.geo.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.distpatterns.geo.domain.DriverIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/** Evicts positions older than the TTL every {@code interval}, so memory follows the live drivers. */
class ExpiredPositionSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExpiredPositionSweeper.class);

    private final DriverIndex index;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    private volatile boolean running;

    ExpiredPositionSweeper(DriverIndex index, Duration interval) {
        this.index = index;
        this.interval = interval;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "geo-ttl-sweeper");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int evicted = index.evictExpired();
                if (evicted > 0) {
                    log.debug("Evicted {} expired driver positions", evicted);
                }
            } catch (RuntimeException e) {
                log.warn("TTL sweep failed: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
