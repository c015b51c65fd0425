package io.distpatterns.inventory.messaging;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.distpatterns.inventory.domain.StockLine;
import io.distpatterns.inventory.service.ReservationService;
import io.distpatterns.platform.consumer.Envelopes;
import io.distpatterns.platform.consumer.UnprocessableEventException;
import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.platform.outbox.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code orders.events}. OrderPlaced reserves, OrderCancelled releases, OrderConfirmed
 * commits, OrderRejected needs nothing; any other type, or a payload that does not fit, is
 * unprocessable and goes to the DLT. Database failures propagate and are retried with backoff.
 */
@Component
public class OrderEventsListener {

    /** Inventory's reading of the order events it needs (only the fields it uses). */
    record Line(@NotBlank String sku, @Min(1) @Max(1_000_000) int quantity) {
    }

    record OrderPlaced(@NotBlank String orderId, @NotEmpty List<@Valid Line> lines) {
    }

    record OrderRef(@NotBlank String orderId) {
    }

    private final Envelopes envelopes;
    private final ReservationService reservations;

    OrderEventsListener(Envelopes envelopes, ReservationService reservations) {
        this.envelopes = envelopes;
        this.reservations = reservations;
    }

    @KafkaListener(id = "inventory-order-events", idIsGroup = false, topics = Topics.ORDERS_EVENTS)
    public void onMessage(ConsumerRecord<String, String> record) {
        EventEnvelope event = envelopes.parse(record.value());
        switch (event.eventType()) {
            case "OrderPlaced" -> {
                OrderPlaced placed = envelopes.payload(event, OrderPlaced.class);
                reservations.reserve(event, placed.orderId(),
                        placed.lines().stream().map(l -> new StockLine(l.sku(), l.quantity())).toList());
            }
            case "OrderCancelled" -> reservations.release(event, envelopes.payload(event, OrderRef.class).orderId());
            case "OrderConfirmed" -> reservations.commit(event, envelopes.payload(event, OrderRef.class).orderId());
            case "OrderRejected" -> {
                // nothing was reserved for a rejected order
            }
            default -> throw new UnprocessableEventException(UnprocessableEventException.Reason.UNKNOWN_EVENT_TYPE,
                    "inventory does not handle " + event.eventType());
        }
    }
}
