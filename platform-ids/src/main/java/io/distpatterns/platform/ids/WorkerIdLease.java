package io.distpatterns.platform.ids;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker ID held through {@link PostgresWorkerLeases}, kept alive by a heartbeat.
 *
 * <p>States: acquired (valid) → renewed every {@code ttl / 3} → either released by {@link #close}
 * or lost. It is lost when a renewal finds the fencing token changed (another instance took the
 * worker ID), and it lapses, without any message from the database, when no renewal succeeded for
 * {@code ttl - safetyMargin} of monotonic time: the database can only hand the worker ID to someone
 * else after a full {@code ttl} past our last successful renewal, so validity always ends first.
 * Each renewal also reserves {@code wall clock + ttl} as the highest timestamp this holder may use.
 */
public final class WorkerIdLease implements WorkerLease, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerIdLease.class);

    private final PostgresWorkerLeases leases;
    private final PostgresWorkerLeases.Grant grant;
    private final Duration ttl;
    private final Duration safetyMargin;
    private final TimeSource time;
    private final ScheduledExecutorService heartbeat;

    private volatile long validUntilNanos;
    private volatile long ceilingMillis;
    private volatile String lostReason;

    private WorkerIdLease(PostgresWorkerLeases leases, PostgresWorkerLeases.Grant grant, Duration ttl,
                          Duration safetyMargin, TimeSource time, long acquireStartNanos) {
        this.leases = leases;
        this.grant = grant;
        this.ttl = ttl;
        this.safetyMargin = safetyMargin;
        this.time = time;
        this.validUntilNanos = acquireStartNanos + ttl.minus(safetyMargin).toNanos();
        this.ceilingMillis = grant.floorMillis(); // nothing may be issued before the first reservation
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-lease-" + grant.workerId());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Acquires a worker ID, reserves time for it, and starts the heartbeat.
     *
     * @param heartbeat how often to renew; must be well below {@code ttl - safetyMargin}
     */
    public static WorkerIdLease acquire(PostgresWorkerLeases leases, String owner, Duration ttl,
                                        Duration safetyMargin, Duration heartbeat, TimeSource time) {
        if (safetyMargin.isNegative() || safetyMargin.compareTo(ttl) >= 0 || heartbeat.compareTo(ttl.minus(safetyMargin)) >= 0) {
            throw new IllegalArgumentException("need 0 <= safetyMargin < ttl and heartbeat < ttl - safetyMargin; got ttl="
                    + ttl + ", safetyMargin=" + safetyMargin + ", heartbeat=" + heartbeat);
        }
        long start = time.nanoTime();
        var grant = leases.acquire(owner, ttl);
        var lease = new WorkerIdLease(leases, grant, ttl, safetyMargin, time, start);
        if (!lease.renewNow()) {
            throw new WorkerLeaseLostException("worker " + grant.workerId() + " was taken over right after it was acquired");
        }
        lease.heartbeat.scheduleWithFixedDelay(lease::heartbeatOnce, heartbeat.toMillis(), heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("Leased Snowflake worker {} (fencing token {}, floor {} ms, ttl {})",
                grant.workerId(), grant.fencingToken(), grant.floorMillis(), ttl);
        return lease;
    }

    /** Renews now; returns whether the lease is still ours. */
    public boolean renewNow() {
        if (lostReason != null) {
            return false;
        }
        long start = time.nanoTime();
        long reserve = Math.max(time.currentMillis(), grant.floorMillis()) + ttl.toMillis();
        if (leases.renew(grant, ttl, reserve)) {
            ceilingMillis = reserve;
            validUntilNanos = start + ttl.minus(safetyMargin).toNanos();
            return true;
        }
        lostReason = "taken over by another instance (fencing token " + grant.fencingToken() + " is stale)";
        log.error("Snowflake worker {} lost: {}", grant.workerId(), lostReason);
        return false;
    }

    private void heartbeatOnce() {
        try {
            if (!renewNow()) {
                heartbeat.shutdown();
            }
        } catch (RuntimeException e) {
            log.warn("Renewing Snowflake worker {} failed; IDs stop when the lease lapses: {}", grant.workerId(), e.getMessage());
        }
    }

    /** Stops the heartbeat without releasing: for tests that simulate a stalled or dead instance. */
    void stopHeartbeat() {
        heartbeat.shutdownNow();
    }

    @Override
    public int workerId() {
        return grant.workerId();
    }

    @Override
    public long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public long floorMillis() {
        return grant.floorMillis();
    }

    @Override
    public long ceilingMillis() {
        return ceilingMillis;
    }

    @Override
    public String lostReason() {
        return lostReason;
    }

    public long fencingToken() {
        return grant.fencingToken();
    }

    /** Releases the worker ID; {@code lastIssuedMillis} becomes the next holder's floor. */
    public void release(long lastIssuedMillis) {
        heartbeat.shutdownNow();
        if (lostReason == null) {
            lostReason = "released";
            leases.release(grant, Math.max(lastIssuedMillis, grant.floorMillis()));
            log.info("Released Snowflake worker {}", grant.workerId());
        }
    }

    /** Releases with the reserved ceiling as the next floor (safe when the issued maximum is unknown). */
    @Override
    public void close() {
        release(ceilingMillis);
    }
}
