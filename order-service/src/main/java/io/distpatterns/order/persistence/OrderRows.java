package io.distpatterns.order.persistence;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.distpatterns.order.domain.Order;
import io.distpatterns.order.domain.OrderLine;
import io.distpatterns.order.domain.OrderStatus;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** The SQL of orders and their lines on one shard. Every query here is served by an index of the shard schema. */
public final class OrderRows {

    private static final String SELECT = "SELECT id, customer_id, status, currency, total, created_at FROM orders ";

    private OrderRows() {
    }

    public static void insert(JdbcTemplate jdbc, Order order) {
        jdbc.update("INSERT INTO orders (id, customer_id, status, currency, total, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                order.id(), order.customerId(), order.status().name(), order.currency(), order.total(),
                Timestamp.from(order.createdAt()), Timestamp.from(order.createdAt()));
        List<Object[]> lines = new ArrayList<>();
        for (int i = 0; i < order.lines().size(); i++) {
            OrderLine line = order.lines().get(i);
            lines.add(new Object[] {order.id(), i + 1, line.sku(), line.quantity(), line.unitPrice()});
        }
        jdbc.batchUpdate("INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price) VALUES (?, ?, ?, ?, ?)", lines);
    }

    public static Optional<Order> find(JdbcTemplate jdbc, long id, boolean forUpdate) {
        List<Order> found = withLines(jdbc, jdbc.query(SELECT + "WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                (rs, n) -> new Order(rs.getLong(1), rs.getString(2), OrderStatus.valueOf(rs.getString(3)), rs.getString(4),
                        List.of(), rs.getBigDecimal(5), rs.getTimestamp(6).toInstant()), id));
        return found.stream().findFirst();
    }

    public static void updateStatus(JdbcTemplate jdbc, long id, OrderStatus status) {
        jdbc.update("UPDATE orders SET status = ?, updated_at = now() WHERE id = ?", status.name(), id);
    }

    /**
     * Locks up to {@code limit} PENDING orders created before {@code before}, oldest first, skipping rows
     * another transaction holds: several sweepers (or a sweeper and a saga consumer) never take the same order.
     */
    public static List<Order> lockExpiredPending(JdbcTemplate jdbc, Instant before, int limit) {
        return jdbc.query(SELECT + "WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED",
                OrderRows::order, Timestamp.from(before), limit);
    }

    /** A customer's orders older than the cursor (createdAt, id), newest first. */
    public static List<Order> ofCustomer(JdbcTemplate jdbc, String customerId, Instant beforeCreatedAt, long beforeId, int limit) {
        return withLines(jdbc, jdbc.query(SELECT + """
                WHERE customer_id = ? AND (created_at, id) < (?, ?)
                ORDER BY created_at DESC, id DESC LIMIT ?""", OrderRows::order,
                customerId, Timestamp.from(beforeCreatedAt), beforeId, limit));
    }

    /** Orders of every customer on this shard since {@code since}, newest first, optionally of one status. */
    public static List<Order> recent(JdbcTemplate jdbc, OrderStatus status, Instant since, int limit) {
        List<Order> orders = status == null
                ? jdbc.query(SELECT + "WHERE created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?",
                OrderRows::order, Timestamp.from(since), limit)
                : jdbc.query(SELECT + "WHERE status = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?",
                OrderRows::order, status.name(), Timestamp.from(since), limit);
        return withLines(jdbc, orders);
    }

    private static Order order(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Order(rs.getLong(1), rs.getString(2), OrderStatus.valueOf(rs.getString(3)), rs.getString(4),
                List.of(), rs.getBigDecimal(5), rs.getTimestamp(6).toInstant());
    }

    private static List<Order> withLines(JdbcTemplate jdbc, List<Order> orders) {
        if (orders.isEmpty()) {
            return orders;
        }
        Long[] ids = orders.stream().map(Order::id).toArray(Long[]::new);
        Map<Long, List<OrderLine>> lines = new HashMap<>();
        jdbc.execute((ConnectionCallback<Void>) c -> {
            Array array = c.createArrayOf("bigint", ids);
            try (var ps = c.prepareStatement(
                    "SELECT order_id, sku, quantity, unit_price FROM order_lines WHERE order_id = ANY(?) ORDER BY order_id, line_no")) {
                ps.setArray(1, array);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new OrderLine(rs.getString(2), rs.getInt(3), rs.getBigDecimal(4)));
                    }
                }
            }
            return null;
        });
        return orders.stream().map(o -> new Order(o.id(), o.customerId(), o.status(), o.currency(),
                List.copyOf(lines.getOrDefault(o.id(), List.of())), o.total(), o.createdAt())).toList();
    }
}
