package io.distpatterns.inventory.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.distpatterns.inventory.domain.ReservationStatus;
import io.distpatterns.inventory.domain.StockLine;
import org.springframework.jdbc.core.JdbcTemplate;

/** SQL of reservations (one row per order inventory has heard of) and their lines. */
public final class ReservationRows {

    private ReservationRows() {
    }

    /**
     * Creates the order's reservation row with {@code status}; false when it exists. A concurrent claim
     * of the same order waits on the primary key until the first transaction ends.
     */
    public static boolean claim(JdbcTemplate jdbc, String orderId, ReservationStatus status) {
        return jdbc.update("INSERT INTO reservations (order_id, status) VALUES (?, ?) ON CONFLICT DO NOTHING",
                orderId, status.name()) == 1;
    }

    public static Optional<ReservationStatus> lock(JdbcTemplate jdbc, String orderId) {
        return jdbc.query("SELECT status FROM reservations WHERE order_id = ? FOR UPDATE",
                (rs, n) -> ReservationStatus.valueOf(rs.getString(1)), orderId).stream().findFirst();
    }

    public static void setStatus(JdbcTemplate jdbc, String orderId, ReservationStatus status) {
        jdbc.update("UPDATE reservations SET status = ?, updated_at = now() WHERE order_id = ?", status.name(), orderId);
    }

    public static void insertLines(JdbcTemplate jdbc, String orderId, List<StockLine> lines) {
        List<Object[]> args = new ArrayList<>();
        for (StockLine line : lines) {
            args.add(new Object[] {orderId, line.sku(), line.quantity()});
        }
        jdbc.batchUpdate("INSERT INTO reservation_lines (order_id, sku, quantity) VALUES (?, ?, ?)", args);
    }

    /** The order's lines, sorted by SKU. */
    public static List<StockLine> lines(JdbcTemplate jdbc, String orderId) {
        return jdbc.query("SELECT sku, quantity FROM reservation_lines WHERE order_id = ? ORDER BY sku",
                (rs, n) -> new StockLine(rs.getString(1), rs.getInt(2)), orderId);
    }
}
