package io.distpatterns.platform.outbox;

import java.sql.Timestamp;
import java.util.function.Supplier;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.ids.IdGenerator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends events to the outbox of a database, inside the caller's transaction on that database.
 *
 * <p>Refuses to run outside a transaction: an outbox row committed on its own could announce a
 * change that never happened. Per event: one upsert on {@code outbox_aggregate_sequences} (which
 * also serializes concurrent writers of one aggregate until commit) and one insert.
 */
public final class OutboxWriter {

    private final IdGenerator ids;
    private final JsonMapper json;
    private final Supplier<String> traceparent;

    /**
     * @param traceparent the W3C traceparent of the current span, or null when there is none
     *                    (see {@link Traceparents})
     */
    public OutboxWriter(IdGenerator ids, JsonMapper json, Supplier<String> traceparent) {
        this.ids = ids;
        this.json = json;
        this.traceparent = traceparent;
    }

    /** Stores {@code event} in the outbox of {@code dataSource}; returns its event id. */
    public long append(DataSource dataSource, NewEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("outbox events must be written inside the transaction that makes the change");
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Long version = jdbc.queryForObject("""
                INSERT INTO outbox_aggregate_sequences (aggregate_type, aggregate_id, last_version) VALUES (?, ?, 1)
                ON CONFLICT (aggregate_type, aggregate_id)
                DO UPDATE SET last_version = outbox_aggregate_sequences.last_version + 1
                RETURNING last_version""", Long.class, event.aggregateType(), event.aggregateId());
        long eventId = ids.nextId();
        jdbc.update("""
                INSERT INTO outbox_events (event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version,
                                           schema_version, occurred_at, payload, traceparent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""",
                eventId, event.topic(), event.eventType(), event.aggregateType(), event.aggregateId(), version,
                event.schemaVersion(), Timestamp.from(event.occurredAt()), json.writeValueAsString(event.payload()),
                traceparent.get());
        return eventId;
    }
}
