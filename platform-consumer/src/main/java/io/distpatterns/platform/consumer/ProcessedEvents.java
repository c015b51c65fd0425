package io.distpatterns.platform.consumer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.distpatterns.platform.outbox.EventEnvelope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The idempotent consumer: {@link #firstDelivery} records an event id in {@code processed_events}
 * inside the transaction of the effect. It returns false when the id is already there, and the
 * caller then does nothing. A concurrent delivery of the same event waits on the primary key until
 * the first transaction ends, then sees it. Ids are kept for {@code ttl}, which must exceed how
 * long a record can be redelivered or replayed; {@link #deleteExpired} keeps the table bounded.
 */
public final class ProcessedEvents {

    private final String consumer;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param consumer name of the consuming component (usually the consumer group): two consumers of one
     *                 event in the same database each apply it once
     */
    public ProcessedEvents(String consumer, Duration ttl, Clock clock) {
        this.consumer = consumer;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** True the first time {@code envelope}'s id is seen by this consumer in this database. */
    public boolean firstDelivery(JdbcTemplate jdbc, EventEnvelope envelope) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a processed event must be recorded in the transaction of its effect");
        }
        Instant now = clock.instant();
        return jdbc.update("""
                INSERT INTO processed_events (consumer, event_id, event_type, processed_at, expires_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                consumer, envelope.eventId(), envelope.eventType(), Timestamp.from(now), Timestamp.from(now.plus(ttl))) == 1;
    }

    /** Deletes up to {@code batch} expired ids; returns how many. */
    public int deleteExpired(JdbcTemplate jdbc, int batch) {
        return jdbc.update("""
                DELETE FROM processed_events WHERE ctid IN (
                  SELECT ctid FROM processed_events WHERE expires_at < ? LIMIT ?)""", Timestamp.from(clock.instant()), batch);
    }

    public String consumer() {
        return consumer;
    }
}
