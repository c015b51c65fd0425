package io.distpatterns.order.messaging;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.distpatterns.order.service.SagaService;
import io.distpatterns.platform.consumer.Envelopes;
import io.distpatterns.platform.consumer.UnprocessableEventException;
import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.platform.outbox.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code inventory.events}: StockReserved confirms, StockRejected rejects, StockReleased
 * needs nothing here. Other types and malformed payloads go to the DLT; database failures are retried.
 */
@Component
class InventoryEventsListener {

    /** The order service's reading of inventory's answers (only the fields it uses). */
    record StockAnswer(@NotBlank @Pattern(regexp = "[0-9]{1,19}") String orderId, String reason) {
    }

    private final Envelopes envelopes;
    private final SagaService saga;

    InventoryEventsListener(Envelopes envelopes, SagaService saga) {
        this.envelopes = envelopes;
        this.saga = saga;
    }

    @KafkaListener(id = "order-inventory-events", idIsGroup = false, topics = Topics.INVENTORY_EVENTS)
    void onMessage(ConsumerRecord<String, String> record) {
        EventEnvelope event = envelopes.parse(record.value());
        switch (event.eventType()) {
            case "StockReserved" -> saga.stockReserved(event, orderId(event));
            case "StockRejected" -> {
                StockAnswer answer = envelopes.payload(event, StockAnswer.class);
                saga.stockRejected(event, Long.parseLong(answer.orderId()), answer.reason());
            }
            case "StockReleased" -> {
                // the compensation of a cancel: the order is already CANCELLED
            }
            default -> throw new UnprocessableEventException(UnprocessableEventException.Reason.UNKNOWN_EVENT_TYPE,
                    "order-service does not handle " + event.eventType());
        }
    }

    private long orderId(EventEnvelope event) {
        return Long.parseLong(envelopes.payload(event, StockAnswer.class).orderId());
    }
}
