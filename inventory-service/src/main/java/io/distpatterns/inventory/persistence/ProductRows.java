package io.distpatterns.inventory.persistence;

import java.sql.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.distpatterns.inventory.domain.Product;
import io.distpatterns.inventory.domain.StockLine;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** SQL of products, their stock and the adjustment audit. Every lookup is by primary key. */
public final class ProductRows {

    private static final String SELECT = "SELECT sku, name, available, reserved, committed FROM products ";

    private ProductRows() {
    }

    /** False when the SKU exists. */
    public static boolean insert(JdbcTemplate jdbc, String sku, String name, int initialStock) {
        return jdbc.update("INSERT INTO products (sku, name, available) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                sku, name, initialStock) == 1;
    }

    public static Optional<Product> find(JdbcTemplate jdbc, String sku, boolean forUpdate) {
        return jdbc.query(SELECT + "WHERE sku = ?" + (forUpdate ? " FOR UPDATE" : ""), ProductRows::product, sku)
                .stream().findFirst();
    }

    /** Locks the products of {@code skus} in SKU order (so two transactions never wait on each other in a cycle); returns available per SKU. */
    public static Map<String, Integer> lockAvailable(JdbcTemplate jdbc, List<String> sortedSkus) {
        Map<String, Integer> available = new HashMap<>();
        jdbc.execute((ConnectionCallback<Void>) c -> {
            Array array = c.createArrayOf("varchar", sortedSkus.toArray());
            try (var ps = c.prepareStatement("SELECT sku, available FROM products WHERE sku = ANY(?) ORDER BY sku FOR UPDATE")) {
                ps.setArray(1, array);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        available.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return null;
        });
        return available;
    }

    /** Moves {@code lines} (sorted by SKU) between stock columns: {@code from} loses, {@code to} gains. */
    public static void move(JdbcTemplate jdbc, List<StockLine> lines, String from, String to) {
        List<Object[]> args = new ArrayList<>();
        for (StockLine line : lines) {
            args.add(new Object[] {line.quantity(), line.quantity(), line.sku()});
        }
        jdbc.batchUpdate("UPDATE products SET " + from + " = " + from + " - ?, " + to + " = " + to + " + ?, updated_at = now() WHERE sku = ?",
                args);
    }

    public static void adjustAvailable(JdbcTemplate jdbc, String sku, int delta) {
        jdbc.update("UPDATE products SET available = available + ?, updated_at = now() WHERE sku = ?", delta, sku);
    }

    public static void audit(JdbcTemplate jdbc, String sku, int delta, String reason, String actor, int availableAfter) {
        jdbc.update("INSERT INTO stock_adjustments (sku, delta, reason, actor, available_after) VALUES (?, ?, ?, ?, ?)",
                sku, delta, reason, actor, availableAfter);
    }

    /** An adjustment as audited. */
    public record Adjustment(long id, int delta, String reason, String actor, int availableAfter, java.time.Instant at) {
    }

    public static List<Adjustment> adjustments(JdbcTemplate jdbc, String sku) {
        return jdbc.query("SELECT id, delta, reason, actor, available_after, created_at FROM stock_adjustments WHERE sku = ? ORDER BY id",
                (rs, n) -> new Adjustment(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant()), sku);
    }

    private static Product product(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Product(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5));
    }
}
