package io.distpatterns.platform.consumer.deadletter;

import java.time.Instant;
import java.util.Map;

/** A dead letter as stored: where it came from, why it failed, and what became of it. */
public record DeadLetter(long id, String dltTopic, int dltPartition, long dltOffset, String originTopic,
                         Integer originPartition, Long originOffset, String consumerGroup, String key, String value,
                         Map<String, String> headers, String eventId, String eventType, String traceparent,
                         String exceptionClass, String exceptionMessage, int attempts, Status status,
                         Instant receivedAt, Instant resolvedAt) {

    /** NEW until an operator replays or discards it; both are final. */
    public enum Status { NEW, REPLAYED, DISCARDED }

    /** One operator action, as audited. */
    public record AuditEntry(String action, String actor, String reason, String outcome, Instant at) {
    }

    /** What to list; null fields do not filter. */
    public record Filter(Status status, String originTopic, String eventType, String exception, String eventId) {
    }
}
