package io.distpatterns.order.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongPredicate;

import io.distpatterns.order.domain.OrderEvents;
import io.distpatterns.platform.sharding.ShardKey;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL that moves a set of customers between two shards: everything of theirs that lives on a
 * shard (orders, order lines, idempotency keys, their orders' outbox rows and outbox version
 * counters) is copied with its identity unchanged (order ids, event ids, aggregate versions), then
 * compared by row counts and MD5 checksums on both sides, and deleted from the source. The outbox
 * rows travel with their orders, published or not: an unpublished row is published by the relay
 * from the target, under the same event id and version; the counter keeps the next event of the
 * order at the next version. {@code processed_events} rows do not travel (they carry no customer):
 * see README "Resharding" for why a redelivered saga event still has no second effect.
 */
public final class UnitTransfer {

    /** Keys expiring before the unit's freeze plus this margin are neither copied nor compared (the sweeper may take them). */
    public static final long KEY_EXPIRY_MARGIN_SECONDS = 60;

    private UnitTransfer() {
    }

    /** Customers on a shard whose ring position satisfies {@code inRange} (orders or idempotency keys). */
    public static List<String> customers(JdbcTemplate jdbc, LongPredicate inRange) {
        TreeSet<String> found = new TreeSet<>();
        jdbc.query("SELECT DISTINCT customer_id FROM orders UNION SELECT DISTINCT customer_id FROM idempotency_keys", rs -> {
            String customer = rs.getString(1);
            if (inRange.test(ShardKey.hash(customer))) {
                found.add(customer);
            }
        });
        return List.copyOf(found);
    }

    /** What one copy carried. */
    public record Copied(int orders, int lines, int keys, int events) {
    }

    /**
     * Copies {@code customers} from {@code source} to {@code target} in one target transaction,
     * replacing whatever the target held for them (so a copy interrupted by a crash is simply
     * done again).
     */
    public static Copied copy(JdbcTemplate source, JdbcTemplate target, org.springframework.transaction.support.TransactionTemplate targetTx,
                              List<String> customers, Instant keyCutoff) {
        if (customers.isEmpty()) {
            return new Copied(0, 0, 0, 0);
        }
        String[] ids = customers.toArray(String[]::new);
        Rows orders = read(source, "SELECT * FROM orders WHERE customer_id = ANY (?) ORDER BY id", (Object) ids);
        Rows lines = read(source, """
                SELECT l.* FROM order_lines l JOIN orders o ON o.id = l.order_id
                 WHERE o.customer_id = ANY (?) ORDER BY l.order_id, l.line_no""", (Object) ids);
        Rows keys = read(source, "SELECT * FROM idempotency_keys WHERE customer_id = ANY (?) AND expires_at > ?", ids,
                Timestamp.from(keyCutoff));
        String[] aggregates = aggregateIds(source, ids);
        Rows events = read(source, """
                SELECT event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version, schema_version,
                       occurred_at, payload, traceparent, published_at, attempts, last_error, parked_at, skipped_at
                  FROM outbox_events WHERE aggregate_type = ? AND aggregate_id = ANY (?) ORDER BY event_id""",
                OrderEvents.AGGREGATE_TYPE, aggregates);
        Rows sequences = read(source, "SELECT * FROM outbox_aggregate_sequences WHERE aggregate_type = ? AND aggregate_id = ANY (?)",
                OrderEvents.AGGREGATE_TYPE, aggregates);
        targetTx.executeWithoutResult(status -> {
            delete(target, ids);
            insert(target, "orders", orders);
            insert(target, "order_lines", lines);
            insert(target, "idempotency_keys", keys);
            insert(target, "outbox_events", events);
            insert(target, "outbox_aggregate_sequences", sequences);
        });
        return new Copied(orders.values().size(), lines.values().size(), keys.values().size(), events.values().size());
    }

    /**
     * Row counts and MD5 of every moved table for {@code customers} on one shard, as one string:
     * equal strings on source and target mean the copy is exact. Publication marks are left out
     * (the relay may mark a source row while the unit is frozen; the marks are carried at delete).
     */
    public static String checksum(JdbcTemplate jdbc, List<String> customers, Instant keyCutoff) {
        String[] ids = customers.toArray(String[]::new);
        String[] aggregates = aggregateIds(jdbc, ids);
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("orders", sum(jdbc, """
                SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', id, customer_id, status, currency, total,
                       created_at, updated_at), ',' ORDER BY id)), '-') FROM orders WHERE customer_id = ANY (?)""", (Object) ids));
        parts.put("lines", sum(jdbc, """
                SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', l.order_id, l.line_no, l.sku, l.quantity,
                       l.unit_price), ',' ORDER BY l.order_id, l.line_no)), '-')
                  FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.customer_id = ANY (?)""", (Object) ids));
        parts.put("keys", sum(jdbc, """
                SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', customer_id, idempotency_key, request_hash,
                       order_id, response_body, created_at, expires_at), ',' ORDER BY customer_id, idempotency_key)), '-')
                  FROM idempotency_keys WHERE customer_id = ANY (?) AND expires_at > ?""", ids, Timestamp.from(keyCutoff)));
        parts.put("events", sum(jdbc, """
                SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', event_id, topic, event_type, aggregate_id,
                       aggregate_version, schema_version, occurred_at, payload::text, traceparent), ',' ORDER BY event_id)), '-')
                  FROM outbox_events WHERE aggregate_type = ? AND aggregate_id = ANY (?)""", OrderEvents.AGGREGATE_TYPE, aggregates));
        parts.put("versions", sum(jdbc, """
                SELECT count(*) || ':' || coalesce(md5(string_agg(aggregate_id || '=' || last_version, ',' ORDER BY aggregate_id)), '-')
                  FROM outbox_aggregate_sequences WHERE aggregate_type = ? AND aggregate_id = ANY (?)""",
                OrderEvents.AGGREGATE_TYPE, aggregates));
        StringBuilder out = new StringBuilder();
        parts.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return out.toString();
    }

    /**
     * Marks on {@code target} the events the relay published from {@code source} meanwhile (so the
     * target does not send them again), then deletes the customers from {@code source}. Runs inside
     * the source transaction that also marks the fence MOVED.
     */
    public static int carryMarksAndDelete(JdbcTemplate source, JdbcTemplate target, List<String> customers) {
        if (customers.isEmpty()) {
            return 0;
        }
        String[] ids = customers.toArray(String[]::new);
        String[] aggregates = aggregateIds(source, ids);
        List<Object[]> marks = source.query("""
                SELECT published_at, skipped_at, event_id FROM outbox_events
                 WHERE aggregate_type = ? AND aggregate_id = ANY (?) AND published_at IS NOT NULL""",
                (rs, n) -> new Object[] {rs.getTimestamp(1), rs.getTimestamp(2), rs.getLong(3)},
                OrderEvents.AGGREGATE_TYPE, aggregates);
        if (!marks.isEmpty()) {
            target.batchUpdate("UPDATE outbox_events SET published_at = ?, skipped_at = ? WHERE event_id = ? AND published_at IS NULL", marks);
        }
        return delete(source, ids);
    }

    /** Deletes the customers' rows; returns the number of orders deleted. */
    public static int delete(JdbcTemplate jdbc, String[] customers) {
        String[] aggregates = aggregateIds(jdbc, customers);
        jdbc.update("DELETE FROM outbox_events WHERE aggregate_type = ? AND aggregate_id = ANY (?)", OrderEvents.AGGREGATE_TYPE,
                arrayParam(aggregates));
        jdbc.update("DELETE FROM outbox_aggregate_sequences WHERE aggregate_type = ? AND aggregate_id = ANY (?)",
                OrderEvents.AGGREGATE_TYPE, arrayParam(aggregates));
        jdbc.update("DELETE FROM idempotency_keys WHERE customer_id = ANY (?)", arrayParam(customers));
        return jdbc.update("DELETE FROM orders WHERE customer_id = ANY (?)", arrayParam(customers)); // lines cascade
    }

    private static String[] aggregateIds(JdbcTemplate jdbc, String[] customers) {
        return jdbc.queryForList("SELECT id::text FROM orders WHERE customer_id = ANY (?)", String.class, arrayParam(customers))
                .toArray(String[]::new);
    }

    private static String sum(JdbcTemplate jdbc, String sql, Object... args) {
        Object[] params = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = args[i] instanceof String[] a ? arrayParam(a) : args[i];
        }
        return jdbc.queryForObject(sql, String.class, params);
    }

    /** A text[] parameter (the PostgreSQL driver binds a String[] as an array). */
    private static Object arrayParam(String[] values) {
        return values;
    }

    private record Rows(List<String> columns, List<Object[]> values) {
    }

    private static Rows read(JdbcTemplate jdbc, String sql, Object... args) {
        return jdbc.execute((ConnectionCallback<Rows>) c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnName(i));
                    }
                    List<Object[]> values = new ArrayList<>();
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        values.add(row);
                    }
                    return new Rows(columns, values);
                }
            }
        });
    }

    private static void bind(Connection c, PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof String[] a) {
                ps.setArray(i + 1, c.createArrayOf("text", a));
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    private static void insert(JdbcTemplate jdbc, String table, Rows rows) {
        if (rows.values().isEmpty()) {
            return;
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", rows.columns()) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(rows.columns().size(), "?")) + ")";
        jdbc.batchUpdate(sql, rows.values());
    }
}
