package io.distpatterns.relay.domain;

import java.time.Instant;

/** A row the relay gave up on after its attempts; its aggregate's later events wait behind it. */
public record ParkedEvent(String source, String eventId, String topic, String eventType, String aggregateType,
                          String aggregateId, long aggregateVersion, int attempts, String lastError, Instant parkedAt,
                          long eventsWaitingBehind) {
}
