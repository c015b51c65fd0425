package io.distpatterns.relay.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether Kafka takes the relay's records, shared by every source: after a failure that is about
 * Kafka (not one record), every worker pauses for a backoff doubling from 500 ms to the maximum;
 * the first acknowledged record resets it. Backs the {@code kafka} health indicator.
 */
public final class KafkaAvailability {

    private final long maxBackoffNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile long pausedUntilNanos = System.nanoTime();
    private volatile String lastError;
    private volatile Instant failingSince;
    private volatile Instant lastSuccess;

    KafkaAvailability(Duration maxBackoff) {
        this.maxBackoffNanos = maxBackoff.toNanos();
    }

    void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
            failingSince = null;
        }
        lastSuccess = Instant.now();
    }

    void failed(Throwable error) {
        int n = consecutiveFailures.incrementAndGet();
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
        long backoff = Math.min(maxBackoffNanos, 500_000_000L << Math.min(n - 1, 16));
        pausedUntilNanos = System.nanoTime() + backoff;
    }

    /** Nanoseconds workers should still wait before sending again (0 when they may send). */
    long pauseNanos() {
        return Math.max(0, pausedUntilNanos - System.nanoTime());
    }

    public boolean available() {
        return consecutiveFailures.get() == 0;
    }

    public String lastError() {
        return lastError;
    }

    public Instant failingSince() {
        return failingSince;
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }
}
