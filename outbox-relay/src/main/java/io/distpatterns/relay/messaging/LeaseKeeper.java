package io.distpatterns.relay.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.relay.persistence.PartitionLeases;

/**
 * This instance's share of the partitions. Each round (every third of the lease TTL): heartbeat,
 * count live instances, renew what it holds, give back what exceeds its fair share
 * ({@code ceil(partitions / live)}), take free or expired partitions up to it.
 *
 * <p>Fencing: a lease is used only until {@code round start + 0.8 x TTL} on this instance's
 * monotonic clock, which is before the database lets anyone else take it (the expiry is set from
 * the database's {@code now()} after the round started). A renewal that names a fencing token
 * another instance has since replaced returns nothing, and the partition is dropped at once.
 * Giving a partition back waits (write lock) until no poll cycle is using it, so the next owner
 * never overlaps with sends of the previous one.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    record Lease(long token, long validUntilNanos) {
    }

    private final PartitionLeases leases;
    private final String instance;
    private final Duration ttl;
    private final ReentrantReadWriteLock cycles = new ReentrantReadWriteLock(true);
    private volatile Map<Integer, Lease> held = Map.of();
    private volatile int liveInstances = 1;

    LeaseKeeper(PartitionLeases leases, String instance, Duration ttl) {
        this.leases = leases;
        this.instance = instance;
        this.ttl = ttl;
    }

    /** One round; called on a single thread. */
    void round() {
        long start = System.nanoTime();
        long validUntil = start + ttl.toNanos() * 8 / 10;
        int live = Math.max(1, leases.heartbeat(instance, ttl));
        liveInstances = live;
        int fair = (leases.partitions() + live - 1) / live;

        Map<Integer, Lease> current = new HashMap<>(held);
        Map<Integer, Long> tokens = new HashMap<>();
        current.forEach((p, l) -> tokens.put(p, l.token()));
        List<Integer> renewed = leases.renew(instance, tokens, ttl);
        Map<Integer, Lease> next = new HashMap<>();
        for (Integer p : renewed) {
            next.put(p, new Lease(current.get(p).token(), validUntil));
        }
        if (next.size() < current.size()) {
            Set<Integer> lost = new TreeSet<>(current.keySet());
            lost.removeAll(next.keySet());
            log.warn("Lost partition leases {} (taken over or expired)", lost);
        }
        held = Map.copyOf(next);

        if (next.size() > fair) {
            giveBack(next.size() - fair);
        } else if (next.size() < fair) {
            Map<Integer, Long> taken = leases.acquire(instance, fair - next.size(), ttl);
            if (!taken.isEmpty()) {
                Map<Integer, Lease> grown = new HashMap<>(held);
                taken.forEach((p, token) -> grown.put(p, new Lease(token, validUntil)));
                held = Map.copyOf(grown);
                log.info("Took partitions {} ({} of {} held, {} live instances)", new TreeSet<>(taken.keySet()),
                        grown.size(), leases.partitions(), live);
            }
        }
    }

    private void giveBack(int count) {
        try {
            if (!cycles.writeLock().tryLock(2, TimeUnit.SECONDS)) {
                return; // a poll cycle is long (Kafka slow): give back next round
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            Map<Integer, Lease> remaining = new HashMap<>(held);
            List<Integer> extra = remaining.keySet().stream().sorted(java.util.Comparator.reverseOrder()).limit(count).toList();
            for (Integer p : extra) {
                Lease lease = remaining.remove(p);
                held = Map.copyOf(remaining);
                leases.release(instance, p, lease.token());
            }
            log.info("Gave back partitions {} ({} held)", extra, remaining.size());
        } finally {
            cycles.writeLock().unlock();
        }
    }

    /** Gives back every lease (clean shutdown), after the workers stopped. */
    void releaseAll() {
        held.forEach((p, lease) -> leases.release(instance, p, lease.token()));
        held = Map.of();
        leases.forget(instance);
    }

    /** The partitions usable now: held and within their validity. */
    Map<Integer, Lease> usable() {
        long now = System.nanoTime();
        Map<Integer, Lease> usable = new HashMap<>();
        held.forEach((p, l) -> {
            if (l.validUntilNanos() - now > 0) {
                usable.put(p, l);
            }
        });
        return usable;
    }

    /** Whether {@code partition} is still held under {@code token} and valid. */
    boolean stillValid(int partition, long token) {
        Lease l = held.get(partition);
        return l != null && l.token() == token && l.validUntilNanos() - System.nanoTime() > 0;
    }

    /** Poll cycles hold this shared lock; giving a partition back takes it exclusively. */
    ReentrantReadWriteLock.ReadLock cycleLock() {
        return cycles.readLock();
    }

    Set<Integer> held() {
        return new TreeSet<>(held.keySet());
    }

    int liveInstances() {
        return liveInstances;
    }
}
