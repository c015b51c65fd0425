package io.distpatterns.platform.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.test.DatabaseScope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbox writer on a real PostgreSQL: atomic with the change, versions in commit order, xmin-safe. */
class OutboxWriterIT {

    static DatabaseScope scope;
    static HikariDataSource dataSource;
    static JdbcTemplate jdbc;
    static TransactionTemplate tx;
    static final AtomicLong ids = new AtomicLong(1000);
    static OutboxWriter writer;

    @BeforeAll
    static void database() {
        scope = DatabaseScope.open();
        String db = scope.database("outbox");
        scope.server().createDatabaseIfMissing(db);
        dataSource = scope.server().dataSource(db, 6);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE things (id bigint PRIMARY KEY)"); // a service table before the outbox: baseline path
        OutboxSchema.migrate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        writer = new OutboxWriter(ids::incrementAndGet, JsonMapper.builder().build(), () -> "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @AfterAll
    static void drop() {
        dataSource.close();
        scope.close();
    }

    static NewEvent event(String aggregateId, String type) {
        return new NewEvent(Topics.ORDERS_EVENTS, type, "Order", aggregateId, 1, Instant.parse("2026-12-03T10:00:00Z"),
                Map.of("orderId", aggregateId, "total", "12.50"));
    }

    @Test
    void storesTheEnvelopeWithVersionAndTraceparentInTheCallersTransaction() {
        long eventId = tx.execute(s -> {
            jdbc.update("INSERT INTO things VALUES (1)");
            return writer.append(dataSource, event("o-1", "OrderPlaced"));
        });

        var row = jdbc.queryForMap("SELECT * FROM outbox_events WHERE event_id = ?", eventId);
        assertThat(row).containsEntry("topic", "orders.events").containsEntry("event_type", "OrderPlaced")
                .containsEntry("aggregate_id", "o-1").containsEntry("aggregate_version", 1L)
                .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(row.get("payload").toString()).contains("\"total\": \"12.50\"");
        assertThat(row.get("published_at")).isNull();
    }

    @Test
    void aFailureAfterTheInsertLeavesNeitherTheChangeNorTheEvent() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO things VALUES (2)");
            writer.append(dataSource, event("o-2", "OrderPlaced"));
            throw new IllegalStateException("boom after the insert");
        })).hasMessageContaining("boom");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM things WHERE id = 2", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_events WHERE aggregate_id = 'o-2'", Integer.class)).isZero();
    }

    @Test
    void refusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> writer.append(dataSource, event("o-3", "OrderPlaced")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside the transaction");
    }

    @Test
    void concurrentWritersOfOneAggregateGetVersionsInCommitOrder() throws Exception {
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Long> first = pool.submit(() -> tx.execute(s -> {
            long id = writer.append(dataSource, event("o-4", "OrderPlaced"));
            firstWrote.countDown();
            await(releaseFirst);
            return id;
        }));
        assertThat(firstWrote.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Long> second = pool.submit(() -> tx.execute(s -> writer.append(dataSource, event("o-4", "OrderCancelled"))));
        Thread.sleep(300);
        assertThat(second.isDone()).as("the second writer waits for the first to commit").isFalse();
        releaseFirst.countDown();

        long firstId = first.get(10, TimeUnit.SECONDS);
        long secondId = second.get(10, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(version(firstId)).isEqualTo(1);
        assertThat(version(secondId)).isEqualTo(2);
    }

    @Test
    void rowsOfAnOpenTransactionStayAboveTheSnapshotXminUntilItEnds() throws Exception {
        CountDownLatch wrote = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Long> slow = pool.submit(() -> tx.execute(s -> {
            long id = writer.append(dataSource, event("o-slow", "OrderPlaced"));
            wrote.countDown();
            await(finish);
            return id;
        }));
        assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
        long fast = tx.execute(s -> writer.append(dataSource, event("o-fast", "OrderPlaced")));

        List<Long> finalRows = jdbc.queryForList("""
                SELECT event_id FROM outbox_events
                 WHERE published_at IS NULL AND txid < pg_snapshot_xmin(pg_current_snapshot())""", Long.class);

        assertThat(finalRows).as("the fast row committed but an older transaction is open: not final yet").doesNotContain(fast);
        finish.countDown();
        long slowId = slow.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        List<Long> afterwards = jdbc.queryForList("""
                SELECT event_id FROM outbox_events
                 WHERE published_at IS NULL AND txid < pg_snapshot_xmin(pg_current_snapshot())""", Long.class);
        assertThat(afterwards).contains(fast, slowId);
    }

    private static long version(long eventId) {
        return jdbc.queryForObject("SELECT aggregate_version FROM outbox_events WHERE event_id = ?", Long.class, eventId);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
