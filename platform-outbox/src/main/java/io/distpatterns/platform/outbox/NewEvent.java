package io.distpatterns.platform.outbox;

import java.time.Instant;

/**
 * An event about to be written: what happened to which aggregate. The writer adds the event id,
 * the aggregate version and the traceparent.
 *
 * @param topic         Kafka topic, one of {@link Topics}
 * @param eventType     past-tense name, for example {@code OrderPlaced}
 * @param aggregateType for example {@code Order}
 * @param aggregateId   the Kafka key: one aggregate's events stay in order
 * @param schemaVersion version of the payload's schema; changes are additive, a breaking change is a new type
 * @param occurredAt    when it happened
 * @param payload       the event body, serialized to JSON
 */
public record NewEvent(String topic, String eventType, String aggregateType, String aggregateId, int schemaVersion,
                       Instant occurredAt, Object payload) {
}
