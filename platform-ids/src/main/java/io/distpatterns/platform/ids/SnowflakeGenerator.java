package io.distpatterns.platform.ids;

import java.util.concurrent.atomic.LongAdder;

/**
 * Issues Snowflake IDs for one leased worker ID: strictly increasing, never repeating.
 *
 * <p>Per call, under one lock: the lease must be valid (else {@link WorkerLeaseLostException});
 * the wall clock is read; if it is behind the last issued millisecond by at most the tolerance the
 * generator waits for it to catch up, by more it refuses ({@link ClockMovedBackwardsException}); if
 * the 4,096 sequences of the current millisecond are used up it waits for the next millisecond.
 * Timestamps stay above the lease's floor (what earlier holders of the worker ID may have used) and
 * at most its ceiling (what the lease store has reserved for this holder), so a restarted or
 * replacing instance never issues an ID below one already issued.
 */
public final class SnowflakeGenerator implements IdGenerator {

    private final WorkerLease lease;
    private final TimeSource time;
    private final long toleranceMillis;
    private final LongAdder issued = new LongAdder();
    private final LongAdder clockBackwards = new LongAdder();

    private long lastMillis;
    private int sequence;

    public SnowflakeGenerator(WorkerLease lease, TimeSource time, long toleranceMillis) {
        if (toleranceMillis < 0) {
            throw new IllegalArgumentException("tolerance must be >= 0 ms, got " + toleranceMillis);
        }
        this.lease = lease;
        this.time = time;
        this.toleranceMillis = toleranceMillis;
        this.lastMillis = lease.floorMillis();
        this.sequence = SnowflakeLayout.MAX_SEQUENCE; // the floor millisecond itself is never used
    }

    @Override
    public synchronized long nextId() {
        checkLease();
        long now = time.currentMillis();
        if (now < lastMillis) {
            now = waitForClock(now);
        }
        if (now == lastMillis) {
            if (sequence == SnowflakeLayout.MAX_SEQUENCE) {
                now = waitForMillisAfter(lastMillis);
                sequence = 0;
            } else {
                sequence++;
            }
        } else {
            sequence = 0;
        }
        if (now > lease.ceilingMillis()) {
            throw new WorkerLeaseLostException("clock is at " + now + " ms, past the time reserved for worker "
                    + lease.workerId() + " (" + lease.ceilingMillis() + " ms): the lease heartbeat is behind");
        }
        lastMillis = now;
        issued.increment();
        return SnowflakeLayout.encode(now, lease.workerId(), sequence);
    }

    public int workerId() {
        return lease.workerId();
    }

    /** The timestamp of the last ID issued (or the floor before the first). */
    public synchronized long lastMillis() {
        return lastMillis;
    }

    /** IDs issued so far. */
    public long issuedCount() {
        return issued.sum();
    }

    /** Calls refused because the clock stepped back beyond the tolerance. */
    public long clockBackwardsCount() {
        return clockBackwards.sum();
    }

    private void checkLease() {
        String lost = lease.lostReason();
        if (lost != null) {
            throw new WorkerLeaseLostException("worker " + lease.workerId() + " is no longer leased: " + lost);
        }
        if (time.nanoTime() - lease.validUntilNanos() > 0) {
            throw new WorkerLeaseLostException("the lease on worker " + lease.workerId()
                    + " was not renewed in time (is PostgreSQL reachable?): refusing to issue IDs");
        }
    }

    private long waitForClock(long now) {
        long behind = lastMillis - now;
        if (behind > toleranceMillis) {
            clockBackwards.increment();
            throw new ClockMovedBackwardsException(lease.workerId(), behind, toleranceMillis);
        }
        while (now < lastMillis) {
            Thread.onSpinWait();
            now = time.currentMillis();
        }
        return now;
    }

    private long waitForMillisAfter(long millis) {
        long now = time.currentMillis();
        while (now <= millis) {
            Thread.onSpinWait();
            now = time.currentMillis();
        }
        return now;
    }
}
