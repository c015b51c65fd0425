package io.distpatterns.platform.ids;

import java.time.Instant;

/**
 * The bit layout of a Snowflake ID, most significant bit first:
 *
 * <pre>
 *  0 | 41 bits: milliseconds since EPOCH | 10 bits: worker ID | 12 bits: sequence
 * </pre>
 *
 * IDs are positive longs, ordered by time, then worker, then sequence. One worker can issue
 * {@value #SEQUENCES_PER_MILLI} IDs per millisecond; the time bits last 2^41 ms (about 69.7 years)
 * from {@link #EPOCH}, until {@link #exhaustedAt()}.
 */
public final class SnowflakeLayout {

    /** 2026-01-01T00:00:00Z: the zero of the time bits. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    public static final long EPOCH_MILLIS = EPOCH.toEpochMilli();

    public static final int TIME_BITS = 41;
    public static final int WORKER_BITS = 10;
    public static final int SEQUENCE_BITS = 12;

    public static final int MAX_WORKER_ID = (1 << WORKER_BITS) - 1;
    public static final int MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1;
    public static final int SEQUENCES_PER_MILLI = 1 << SEQUENCE_BITS;
    public static final long MAX_TIME_OFFSET = (1L << TIME_BITS) - 1;

    private static final int WORKER_SHIFT = SEQUENCE_BITS;
    private static final int TIME_SHIFT = SEQUENCE_BITS + WORKER_BITS;

    private SnowflakeLayout() {
    }

    /** The last instant the time bits can represent. */
    public static Instant exhaustedAt() {
        return Instant.ofEpochMilli(EPOCH_MILLIS + MAX_TIME_OFFSET);
    }

    /** The ID for a Unix time in milliseconds, a worker and a sequence; every part is range-checked. */
    public static long encode(long unixMillis, int workerId, int sequence) {
        long offset = unixMillis - EPOCH_MILLIS;
        if (offset < 0 || offset > MAX_TIME_OFFSET) {
            throw new IllegalArgumentException("time " + Instant.ofEpochMilli(unixMillis)
                    + " is outside the layout's range [" + EPOCH + ", " + exhaustedAt() + "]");
        }
        if (workerId < 0 || workerId > MAX_WORKER_ID) {
            throw new IllegalArgumentException("worker ID " + workerId + " is outside [0, " + MAX_WORKER_ID + "]");
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence " + sequence + " is outside [0, " + MAX_SEQUENCE + "]");
        }
        return offset << TIME_SHIFT | (long) workerId << WORKER_SHIFT | sequence;
    }

    /** The parts of {@code id}; any positive long decodes. */
    public static SnowflakeId decode(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("a Snowflake ID is a positive long, got " + id);
        }
        long unixMillis = (id >>> TIME_SHIFT) + EPOCH_MILLIS;
        int workerId = (int) (id >>> WORKER_SHIFT) & MAX_WORKER_ID;
        int sequence = (int) id & MAX_SEQUENCE;
        return new SnowflakeId(id, unixMillis, workerId, sequence);
    }
}
