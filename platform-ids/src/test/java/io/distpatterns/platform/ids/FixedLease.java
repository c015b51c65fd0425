package io.distpatterns.platform.ids;

/** A lease whose values the test sets: stands in for {@link WorkerIdLease} in generator unit tests. */
final class FixedLease implements WorkerLease {

    final int workerId;
    long validUntilNanos = Long.MAX_VALUE;
    long floorMillis;
    long ceilingMillis = Long.MAX_VALUE;
    String lostReason;

    FixedLease(int workerId, long floorMillis) {
        this.workerId = workerId;
        this.floorMillis = floorMillis;
    }

    @Override
    public int workerId() {
        return workerId;
    }

    @Override
    public long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public long floorMillis() {
        return floorMillis;
    }

    @Override
    public long ceilingMillis() {
        return ceilingMillis;
    }

    @Override
    public String lostReason() {
        return lostReason;
    }
}
