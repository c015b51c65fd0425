package io.distpatterns.inventory.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.outbox.EventEnvelope;

/** Order events as the relay publishes them: EventEnvelope JSON, key = order id. */
final class OrderEventsMother {

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xffffffffffL);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OrderEventsMother() {
    }

    static String newOrderId() {
        return Long.toString(IDS.incrementAndGet());
    }

    static String placed(String orderId, Map<String, Integer> lines) {
        List<Map<String, Object>> l = lines.entrySet().stream()
                .map(e -> Map.<String, Object>of("sku", e.getKey(), "quantity", e.getValue(), "unitPrice", "9.99")).toList();
        return envelope("OrderPlaced", orderId, 1, Map.of("orderId", orderId, "customerId", "c-1", "currency", "EUR",
                "lines", l, "total", "9.99"));
    }

    static String cancelled(String orderId, String reason) {
        return envelope("OrderCancelled", orderId, 2, Map.of("orderId", orderId, "customerId", "c-1",
                "previousStatus", "PENDING", "reason", reason));
    }

    static String confirmed(String orderId) {
        return envelope("OrderConfirmed", orderId, 2, Map.of("orderId", orderId, "customerId", "c-1"));
    }

    static String envelope(String type, String orderId, long version, Object payload) {
        return JSON.writeValueAsString(new EventEnvelope(Long.toString(IDS.incrementAndGet()), type, "Order", orderId, version,
                Instant.now(), 1, JSON.valueToTree(payload), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    }

    static EventEnvelope parse(String json) {
        return JSON.readValue(json, EventEnvelope.class);
    }
}
