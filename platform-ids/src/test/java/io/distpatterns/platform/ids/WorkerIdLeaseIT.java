package io.distpatterns.platform.ids;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.DatabaseScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worker-ID leases against a real PostgreSQL: exclusivity, takeover after a stalled heartbeat, floors. */
class WorkerIdLeaseIT {

    static final Duration TTL = Duration.ofMillis(1500);
    static final Duration MARGIN = Duration.ofMillis(500);
    static final Duration HEARTBEAT = Duration.ofMillis(300);

    static DatabaseScope scope;
    static HikariDataSource dataSource;

    @BeforeAll
    static void database() {
        scope = DatabaseScope.open();
        String db = scope.database("snowflake_workers");
        scope.server().createDatabaseIfMissing(db);
        dataSource = scope.server().dataSource(db, 8);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/snowflake").load().migrate();
    }

    @AfterAll
    static void dropDatabase() {
        dataSource.close();
        scope.close();
    }

    @Test
    void competingInstancesNeverShareAWorkerId() throws Exception {
        var instanceA = new PostgresWorkerLeases(dataSource, 100, 163);
        var instanceB = new PostgresWorkerLeases(dataSource, 100, 163);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> grabs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            var leases = i % 2 == 0 ? instanceA : instanceB;
            String owner = (i % 2 == 0 ? "A-" : "B-") + i;
            grabs.add(() -> leases.acquire(owner, Duration.ofMinutes(1)).workerId());
        }

        Set<Integer> workerIds = new HashSet<>();
        for (Future<Integer> f : pool.invokeAll(grabs)) {
            workerIds.add(f.get());
        }
        pool.shutdown();

        assertThat(workerIds).hasSize(64).allMatch(id -> id >= 100 && id <= 163);
        assertThatThrownBy(() -> instanceA.acquire("one-too-many", Duration.ofMinutes(1)))
                .isInstanceOf(NoFreeWorkerIdException.class);
    }

    @Test
    void stalledHeartbeatLosesTheWorkerIdToAnotherInstanceAndStopsIssuing() throws Exception {
        var leases = new PostgresWorkerLeases(dataSource, 200, 200);
        var stalled = WorkerIdLease.acquire(leases, "stalled", TTL, MARGIN, HEARTBEAT, TimeSource.SYSTEM);
        var stalledIds = new LeasedIdGenerator(stalled, TimeSource.SYSTEM, 5);
        long lastBeforeStall = stalledIds.nextId();

        stalled.stopHeartbeat();
        assertThatThrownBy(() -> WorkerIdLease.acquire(leases, "eager", TTL, MARGIN, HEARTBEAT, TimeSource.SYSTEM))
                .as("worker 200 is still leased")
                .isInstanceOf(NoFreeWorkerIdException.class);
        Thread.sleep(TTL.toMillis() + 200);
        var successor = WorkerIdLease.acquire(leases, "successor", TTL, MARGIN, HEARTBEAT, TimeSource.SYSTEM);
        var successorIds = new LeasedIdGenerator(successor, TimeSource.SYSTEM, 5);

        assertThat(successor.workerId()).isEqualTo(stalled.workerId());
        assertThat(successor.fencingToken()).isGreaterThan(stalled.fencingToken());
        assertThat(successor.floorMillis()).as("floor covers the stalled holder's reservation")
                .isGreaterThanOrEqualTo(SnowflakeLayout.decode(lastBeforeStall).unixMillis());
        assertThatThrownBy(stalledIds::nextId).isInstanceOf(WorkerLeaseLostException.class);
        assertThat(stalled.renewNow()).as("stale fencing token cannot renew").isFalse();
        assertThat(stalled.lostReason()).contains("taken over");
        assertThat(successorIds.nextId()).isGreaterThan(lastBeforeStall);
        successorIds.close();
    }

    @Test
    void restartedInstanceIssuesAboveEverythingItsPredecessorIssued() {
        var leases = new PostgresWorkerLeases(dataSource, 300, 300);
        var first = new LeasedIdGenerator(
                WorkerIdLease.acquire(leases, "first", TTL, MARGIN, HEARTBEAT, TimeSource.SYSTEM), TimeSource.SYSTEM, 5);
        long last = 0;
        for (int i = 0; i < 10_000; i++) {
            last = first.nextId();
        }
        first.close();

        var restarted = new LeasedIdGenerator(
                WorkerIdLease.acquire(leases, "restarted", TTL, MARGIN, HEARTBEAT, TimeSource.SYSTEM), TimeSource.SYSTEM, 5);

        assertThat(restarted.lease().workerId()).isEqualTo(300);
        assertThat(restarted.lease().floorMillis()).isEqualTo(SnowflakeLayout.decode(last).unixMillis());
        assertThat(restarted.nextId()).isGreaterThan(last);
        assertThatThrownBy(first::nextId).isInstanceOf(WorkerLeaseLostException.class).hasMessageContaining("released");
        restarted.close();
    }

    @Test
    void renewalsKeepALeaseAliveFarBeyondItsTtl() throws Exception {
        var leases = new PostgresWorkerLeases(dataSource, 400, 400);
        var ids = new LeasedIdGenerator(
                WorkerIdLease.acquire(leases, "steady", TTL, MARGIN, HEARTBEAT, TimeSource.SYSTEM), TimeSource.SYSTEM, 5);

        Thread.sleep(TTL.toMillis() * 2);

        assertThat(ids.nextId()).isPositive();
        assertThat(ids.lease().lostReason()).isNull();
        ids.close();
    }
}
