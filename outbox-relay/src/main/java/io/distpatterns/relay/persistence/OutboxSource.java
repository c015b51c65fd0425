package io.distpatterns.relay.persistence;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;

import io.distpatterns.relay.domain.OutboxRow;
import io.distpatterns.relay.domain.ParkedEvent;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * One relayed outbox: the {@code outbox_events} table of one database, and every statement the
 * relay runs on it. All reads honour the two rules of the outbox schema:
 *
 * <ul>
 *   <li><b>completeness</b>: there is no cursor. Every poll reads the unpublished rows that its
 *       snapshot sees, lowest transaction id first; a transaction that commits late is not yet
 *       visible to one poll and is read by the next, never jumped over;</li>
 *   <li><b>order</b>: an aggregate's versions are numbered under its row lock in
 *       {@code outbox_aggregate_sequences}, which the writer of version n+1 waits for until the
 *       writer of version n has committed. So a snapshot that sees version n+1 also sees version n
 *       (or n is already published): rows are read only when no lower unpublished version of their
 *       aggregate is parked, and {@code first_pending} tells the caller where its aggregate's
 *       contiguous run must start ({@link io.distpatterns.relay.domain.OrderedBatch}).</li>
 * </ul>
 *
 * <p>Earlier builds also waited until the row's transaction was older than the snapshot's
 * {@code xmin}. That adds nothing to either rule, and the horizon is server-wide: any transaction
 * on the PostgreSQL server (a clean-up delete, another service's write, a long report) held back
 * every relayed outbox for as long as it ran (bench/relay.sh measured p99 latency 215-442 ms with
 * it).
 */
public final class OutboxSource implements AutoCloseable {

    private static final String COLUMNS = """
            e.event_id, e.topic, e.event_type, e.aggregate_type, e.aggregate_id, e.aggregate_version, e.schema_version,
            e.occurred_at, e.payload::text AS payload, e.traceparent, e.attempts,
            (hashtext(e.aggregate_id) & 2147483647) % ? AS relay_partition,
            (SELECT min(o.aggregate_version) FROM outbox_events o
              WHERE o.aggregate_type = e.aggregate_type AND o.aggregate_id = e.aggregate_id
                AND o.published_at IS NULL) AS first_pending""";

    /** Unparked rows of the given partitions with no parked lower version, lowest transaction id first. */
    private static final String WINDOW = """
            SELECT %s
              FROM outbox_events e
             WHERE e.published_at IS NULL AND e.parked_at IS NULL
               AND (hashtext(e.aggregate_id) & 2147483647) %% ? = ANY (?)
               AND NOT EXISTS (SELECT 1 FROM outbox_events o
                                WHERE o.aggregate_type = e.aggregate_type AND o.aggregate_id = e.aggregate_id
                                  AND o.aggregate_version < e.aggregate_version AND o.published_at IS NULL
                                  AND o.parked_at IS NOT NULL)
             ORDER BY e.txid, e.event_id
             LIMIT ?""".formatted(COLUMNS);

    private static final String VERSIONS = """
            SELECT %s
              FROM outbox_events e
             WHERE e.aggregate_type = ? AND e.aggregate_id = ? AND e.aggregate_version >= ? AND e.aggregate_version < ?
               AND e.published_at IS NULL AND e.parked_at IS NULL
             ORDER BY e.aggregate_version""".formatted(COLUMNS);

    private final String name;
    private final String database;
    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;

    public OutboxSource(String name, String database, HikariDataSource dataSource) {
        this.name = name;
        this.database = database;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The logical name, for example {@code orders_shard_0} or {@code inventory}. */
    public String name() {
        return name;
    }

    public String database() {
        return database;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** Up to {@code limit} sendable rows of {@code owned} partitions, in transaction order. */
    public List<OutboxRow> window(int partitions, Collection<Integer> owned, int limit) {
        return jdbc.execute((ConnectionCallback<List<OutboxRow>>) c -> {
            Array parts = c.createArrayOf("integer", owned.toArray());
            try (var ps = c.prepareStatement(WINDOW)) {
                ps.setInt(1, partitions);
                ps.setInt(2, partitions);
                ps.setArray(3, parts);
                ps.setInt(4, limit);
                return read(ps.executeQuery());
            }
        });
    }

    /** The final, unparked, unpublished versions {@code [from, to)} of one aggregate. */
    public List<OutboxRow> versions(int partitions, OutboxRow.AggregateKey aggregate, long from, long to) {
        return jdbc.query(VERSIONS, ROW, partitions, aggregate.type(), aggregate.id(), from, to);
    }

    /**
     * Marks rows published: only ever called with rows Kafka acknowledged. One statement per batch.
     *
     * <p>The mark commits with {@code synchronous_commit = off} (this transaction only): it does not
     * wait for its WAL flush. A mark lost in a database crash only means its rows are sent again
     * (at least once allows duplicates; they go out in version order like any pending row); no event
     * can be lost by it. Profiling showed the mark's commit and WAL waits to be the relay's largest
     * cost per batch, more than the read.
     */
    public int markPublished(Collection<Long> eventIds) {
        if (eventIds.isEmpty()) {
            return 0;
        }
        return jdbc.execute((ConnectionCallback<Integer>) c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (var relaxed = c.createStatement();
                 var ps = c.prepareStatement(
                         "UPDATE outbox_events SET published_at = now() WHERE event_id = ANY (?) AND published_at IS NULL")) {
                relaxed.execute("SET LOCAL synchronous_commit = off");
                ps.setArray(1, c.createArrayOf("bigint", eventIds.toArray()));
                int marked = ps.executeUpdate();
                c.commit();
                return marked;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    /** Counts a failed attempt on a row Kafka refused; parks it at {@code maxAttempts}. Returns whether it is parked. */
    public boolean recordFailure(long eventId, String error, int maxAttempts) {
        String message = error == null ? "unknown error" : error.length() > 2000 ? error.substring(0, 2000) : error;
        Boolean parked = jdbc.queryForObject("""
                UPDATE outbox_events
                   SET attempts = attempts + 1, last_error = ?,
                       parked_at = CASE WHEN attempts + 1 >= ? THEN now() ELSE parked_at END
                 WHERE event_id = ? AND published_at IS NULL
                RETURNING parked_at IS NOT NULL""", Boolean.class, message, maxAttempts, eventId);
        return Boolean.TRUE.equals(parked);
    }

    /**
     * Deletes published rows older than {@code retention}, {@code batchSize} per statement and
     * transaction, at most {@code maxBatches} statements. Unpublished rows are never touched:
     * {@code published_at < x} is false for them.
     */
    public long cleanup(Duration retention, int batchSize, int maxBatches) {
        long total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int deleted = jdbc.update("""
                    DELETE FROM outbox_events WHERE event_id IN (
                        SELECT event_id FROM outbox_events
                         WHERE published_at < now() - make_interval(secs => ?)
                         ORDER BY published_at LIMIT ?)""", retention.toMillis() / 1000.0, batchSize);
            total += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        return total;
    }

    /** Pending rows, age of the oldest pending event in seconds, parked rows. */
    public Stats stats() {
        return jdbc.queryForObject("""
                SELECT count(*) AS pending,
                       coalesce(extract(epoch FROM now() - min(occurred_at)), 0) AS oldest,
                       count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked
                  FROM outbox_events WHERE published_at IS NULL""",
                (rs, i) -> new Stats(rs.getLong("pending"), rs.getDouble("oldest"), rs.getLong("parked")));
    }

    public record Stats(long pending, double oldestAgeSeconds, long parked) {
    }

    public List<ParkedEvent> parked() {
        return jdbc.query("""
                SELECT p.*, (SELECT count(*) FROM outbox_events w
                              WHERE w.aggregate_type = p.aggregate_type AND w.aggregate_id = p.aggregate_id
                                AND w.aggregate_version > p.aggregate_version AND w.published_at IS NULL) AS waiting
                  FROM outbox_events p
                 WHERE p.parked_at IS NOT NULL AND p.published_at IS NULL
                 ORDER BY p.parked_at, p.event_id""", (rs, i) -> new ParkedEvent(name,
                Long.toString(rs.getLong("event_id")), rs.getString("topic"), rs.getString("event_type"),
                rs.getString("aggregate_type"), rs.getString("aggregate_id"), rs.getLong("aggregate_version"),
                rs.getInt("attempts"), rs.getString("last_error"), rs.getTimestamp("parked_at").toInstant(),
                rs.getLong("waiting")));
    }

    public Optional<ParkedEvent> parked(long eventId) {
        return parked().stream().filter(p -> p.eventId().equals(Long.toString(eventId))).findFirst();
    }

    /** Un-parks a row with a fresh attempt count; returns false if it is not parked. */
    public boolean retry(long eventId) {
        return jdbc.update("""
                UPDATE outbox_events SET parked_at = NULL, attempts = 0
                 WHERE event_id = ? AND parked_at IS NOT NULL AND published_at IS NULL""", eventId) == 1;
    }

    /** Gives up on a parked row: never sent, counted as done, so its aggregate moves on. */
    public boolean skip(long eventId) {
        return jdbc.update("""
                UPDATE outbox_events SET published_at = now(), skipped_at = now()
                 WHERE event_id = ? AND parked_at IS NOT NULL AND published_at IS NULL""", eventId) == 1;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static List<OutboxRow> read(ResultSet rs) throws SQLException {
        List<OutboxRow> rows = new java.util.ArrayList<>();
        int i = 0;
        while (rs.next()) {
            rows.add(ROW.mapRow(rs, i++));
        }
        return rows;
    }

    private static final RowMapper<OutboxRow> ROW = (rs, i) -> {
        Timestamp occurred = rs.getTimestamp("occurred_at");
        return new OutboxRow(rs.getLong("event_id"), rs.getString("topic"), rs.getString("event_type"),
                rs.getString("aggregate_type"), rs.getString("aggregate_id"), rs.getLong("aggregate_version"),
                rs.getInt("schema_version"), occurred.toInstant(), rs.getString("payload"), rs.getString("traceparent"),
                rs.getInt("attempts"), rs.getInt("relay_partition"), rs.getLong("first_pending"));
    };
}
