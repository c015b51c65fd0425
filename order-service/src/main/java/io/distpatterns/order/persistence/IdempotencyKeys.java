package io.distpatterns.order.persistence;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/** Idempotency keys on a shard; called inside the shard transaction that creates the order. */
public final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    /** A stored first request: its body hash, its order and the response it got. */
    public record Stored(String requestHash, long orderId, String responseBody) {
    }

    /**
     * Claims {@code key} for this request; false when it was already claimed (a concurrent claim
     * waits for the first transaction to end). An expired key is claimed anew.
     */
    public static boolean claim(JdbcTemplate jdbc, String customerId, String key, String requestHash, long orderId,
                                String responseBody, Instant now, Duration ttl) {
        jdbc.update("DELETE FROM idempotency_keys WHERE customer_id = ? AND idempotency_key = ? AND expires_at < ?",
                customerId, key, Timestamp.from(now));
        return jdbc.update("""
                INSERT INTO idempotency_keys (customer_id, idempotency_key, request_hash, order_id, response_body, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                customerId, key, requestHash, orderId, responseBody, Timestamp.from(now), Timestamp.from(now.plus(ttl))) == 1;
    }

    public static Optional<Stored> find(JdbcTemplate jdbc, String customerId, String key) {
        List<Stored> found = jdbc.query("""
                SELECT request_hash, order_id, response_body FROM idempotency_keys
                 WHERE customer_id = ? AND idempotency_key = ?""",
                (rs, n) -> new Stored(rs.getString(1), rs.getLong(2), rs.getString(3)), customerId, key);
        return found.stream().findFirst();
    }

    /** Deletes expired keys; returns how many. */
    public static int deleteExpired(JdbcTemplate jdbc, Instant now, int batch) {
        return jdbc.update("""
                DELETE FROM idempotency_keys WHERE ctid IN (
                  SELECT ctid FROM idempotency_keys WHERE expires_at < ? LIMIT ?)""", Timestamp.from(now), batch);
    }
}
