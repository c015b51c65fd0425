package io.distpatterns.platform.consumer.deadletter;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.platform.consumer.Envelopes;
import io.distpatterns.platform.outbox.EventEnvelope;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Copies the DLT records of this service's consumer group into {@code dead_letters} (a DLT is shared
 * by every group consuming its origin topic; records of other groups are left to them). The event id,
 * type and traceparent come from the envelope when it parses, else from the relay's headers.
 */
class DeadLetterCollector {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterCollector.class);

    private final DeadLetterStore store;
    private final DeadLetterAdmin admin;
    private final Envelopes envelopes;
    private final String ownGroup;

    DeadLetterCollector(DeadLetterStore store, DeadLetterAdmin admin, Envelopes envelopes, String ownGroup) {
        this.store = store;
        this.admin = admin;
        this.envelopes = envelopes;
        this.ownGroup = ownGroup;
    }

    @KafkaListener(id = "dead-letter-collector", idIsGroup = false, topics = "#{'${platform.consumer.dead-letters.topics}'.split(',')}",
            groupId = "${spring.kafka.consumer.group-id}-dead-letters")
    void onDeadLetter(ConsumerRecord<String, String> record) {
        Map<String, String> headers = DeadLetterStore.headers(record);
        String group = headers.get(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
        if (group != null && !group.equals(ownGroup)) {
            return;
        }
        String eventId = headers.get("eventId");
        String eventType = headers.get("eventType");
        String traceparent = headers.get("traceparent");
        try {
            EventEnvelope envelope = envelopes.parse(record.value());
            eventId = envelope.eventId();
            eventType = envelope.eventType();
            traceparent = envelope.traceparent() != null ? envelope.traceparent() : traceparent;
        } catch (RuntimeException unparseable) {
            // a poison record: keep what the headers say
        }
        if (store.collect(record, eventId, eventType, traceparent)) {
            admin.collected();
            log.warn("Dead letter from {} (event {} {}): {}", headers.get(KafkaHeaders.DLT_ORIGINAL_TOPIC), eventType, eventId,
                    headers.get(KafkaHeaders.DLT_EXCEPTION_MESSAGE));
        }
    }
}
