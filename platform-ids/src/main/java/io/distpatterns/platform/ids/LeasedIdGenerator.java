package io.distpatterns.platform.ids;

/**
 * A {@link SnowflakeGenerator} together with the {@link WorkerIdLease} it issues under: what a
 * service injects as its {@link IdGenerator}. Closing it stops issuing and releases the worker ID
 * with the last issued timestamp as the next holder's floor.
 */
public final class LeasedIdGenerator implements IdGenerator, AutoCloseable {

    private final WorkerIdLease lease;
    private final SnowflakeGenerator generator;

    public LeasedIdGenerator(WorkerIdLease lease, TimeSource time, long clockToleranceMillis) {
        this.lease = lease;
        this.generator = new SnowflakeGenerator(lease, time, clockToleranceMillis);
    }

    @Override
    public long nextId() {
        return generator.nextId();
    }

    public WorkerIdLease lease() {
        return lease;
    }

    public SnowflakeGenerator generator() {
        return generator;
    }

    @Override
    public void close() {
        synchronized (generator) { // no ID in flight while the floor is written
            lease.release(generator.lastMillis());
        }
    }
}
