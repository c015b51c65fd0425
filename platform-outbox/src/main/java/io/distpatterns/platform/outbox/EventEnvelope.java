package io.distpatterns.platform.outbox;

import java.time.Instant;

/**
 * What travels on Kafka for every event (ARCHITECTURE.md): ids as strings (64-bit values do not
 * survive JavaScript numbers), the payload as a JSON document, and the W3C {@code traceparent} of
 * the transaction that wrote it, so the trace continues past the outbox.
 */
public record EventEnvelope(String eventId, String eventType, String aggregateType, String aggregateId,
                            long aggregateVersion, Instant occurredAt, int schemaVersion,
                            tools.jackson.databind.JsonNode payload, String traceparent) {
}
