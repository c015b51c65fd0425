package io.distpatterns.relay.domain;

import java.time.Duration;

/**
 * Adaptive polling: at once after a full batch, the minimum pause after a partial one, and a pause
 * that doubles up to the maximum while polls find nothing.
 */
public final class PollBackoff {

    private final long minNanos;
    private final long maxNanos;
    private long idleNanos;

    public PollBackoff(Duration min, Duration max) {
        this.minNanos = Math.max(0, min.toNanos());
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.idleNanos = minNanos;
    }

    /** The pause before the next poll, given how many rows this poll found out of {@code batchSize}. */
    public long nextPauseNanos(int found, int batchSize) {
        if (found >= batchSize) {
            idleNanos = minNanos;
            return 0;
        }
        if (found > 0) {
            idleNanos = minNanos;
            return minNanos;
        }
        long pause = idleNanos;
        idleNanos = Math.min(maxNanos, Math.max(1, idleNanos) * 2);
        return pause;
    }
}
