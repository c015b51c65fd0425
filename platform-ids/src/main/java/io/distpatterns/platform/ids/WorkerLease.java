package io.distpatterns.platform.ids;

/**
 * What a {@link SnowflakeGenerator} needs to know about the worker ID it issues with. The values
 * may change as a lease is renewed; the generator reads them on every call.
 */
public interface WorkerLease {

    int workerId();

    /**
     * The monotonic {@link TimeSource#nanoTime()} until which this lease is certainly still held.
     * Past it another instance may hold the worker ID, so no ID may be issued.
     */
    long validUntilNanos();

    /** IDs are issued with timestamps strictly above this Unix millisecond (what earlier holders used). */
    long floorMillis();

    /** IDs are issued with timestamps at most this Unix millisecond (what the lease store has reserved). */
    long ceilingMillis();

    /** Why the lease can no longer be used, or {@code null} while it can. */
    String lostReason();
}
