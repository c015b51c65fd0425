package io.distpatterns.relay.domain;

import java.time.Instant;

/**
 * One unpublished outbox row as the relay reads it.
 *
 * @param partition    the relay partition of its aggregate id
 * @param firstPending the lowest unpublished version of its aggregate when it was read: the row is
 *                     sendable once every version from there up to its own is sent before it
 */
public record OutboxRow(long eventId, String topic, String eventType, String aggregateType, String aggregateId,
                        long aggregateVersion, int schemaVersion, Instant occurredAt, String payload,
                        String traceparent, int attempts, int partition, long firstPending) {

    public AggregateKey aggregate() {
        return new AggregateKey(aggregateType, aggregateId);
    }

    /** An aggregate: its events are numbered 1, 2, 3, ... in commit order. */
    public record AggregateKey(String type, String id) {
    }
}
