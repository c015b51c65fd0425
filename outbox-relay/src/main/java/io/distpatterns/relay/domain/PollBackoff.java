package io.distpatterns.relay.domain;

import java.time.Duration;

/**
 * Adaptive polling: at once after a full batch, the minimum pause after a partial one, and while
 * polls find nothing, still the minimum pause for the first {@link #BUSY_EMPTY_POLLS} of them (a
 * busy source has gaps between its transactions: doubling at the first empty poll made a steady
 * 250 events/s source wait up to 40 ms), then a pause that doubles up to the maximum.
 */
public final class PollBackoff {

    /** Empty polls at the minimum pause before backing off (with 5 ms: about 100 ms without a row). */
    public static final int BUSY_EMPTY_POLLS = 20;

    private final long minNanos;
    private final long maxNanos;
    private long idleNanos;
    private int emptyPolls;

    public PollBackoff(Duration min, Duration max) {
        this.minNanos = Math.max(0, min.toNanos());
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.idleNanos = minNanos;
    }

    /** The pause before the next poll, given how many rows this poll found out of {@code batchSize}. */
    public long nextPauseNanos(int found, int batchSize) {
        if (found > 0) {
            idleNanos = minNanos;
            emptyPolls = 0;
            return found >= batchSize ? 0 : minNanos;
        }
        if (++emptyPolls <= BUSY_EMPTY_POLLS) {
            return minNanos;
        }
        long pause = idleNanos;
        idleNanos = Math.min(maxNanos, Math.max(1, idleNanos) * 2);
        return pause;
    }
}
