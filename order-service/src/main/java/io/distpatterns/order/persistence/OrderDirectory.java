package io.distpatterns.order.persistence;

import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The order → customer index in its own small database ({@code order_directory}). It is written
 * before the order's shard transaction (an entry whose order never committed is harmless: the
 * shard answers 404) and read by {@code GET /orders/{id}}, which then asks exactly one shard.
 */
public class OrderDirectory implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;

    public OrderDirectory(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The directory's pool; the dead letters of the service live in this database too. */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    public void record(long orderId, String customerId) {
        jdbc.update("INSERT INTO order_locations (order_id, customer_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                orderId, customerId);
    }

    public void forget(long orderId) {
        jdbc.update("DELETE FROM order_locations WHERE order_id = ?", orderId);
    }

    public Optional<String> customerOf(long orderId) {
        List<String> found = jdbc.queryForList("SELECT customer_id FROM order_locations WHERE order_id = ?",
                String.class, orderId);
        return found.stream().findFirst();
    }
}
