package io.distpatterns.order.domain;

import java.math.BigDecimal;
import java.util.List;

/** Payloads of the order's events on {@code orders.events}. Ids travel as strings. */
public final class OrderEvents {

    public static final String AGGREGATE_TYPE = "Order";
    public static final int SCHEMA_VERSION = 1;

    private OrderEvents() {
    }

    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    public record OrderPlaced(String orderId, String customerId, String currency, List<Line> lines, BigDecimal total) {

        public static OrderPlaced of(Order order) {
            return new OrderPlaced(Long.toString(order.id()), order.customerId(), order.currency(),
                    order.lines().stream().map(l -> new Line(l.sku(), l.quantity(), l.unitPrice())).toList(), order.total());
        }
    }

    public record OrderCancelled(String orderId, String customerId, String previousStatus, String reason) {
    }

    public record OrderConfirmed(String orderId, String customerId) {
    }

    /** @param reason why inventory refused, for example {@code INSUFFICIENT_STOCK} */
    public record OrderRejected(String orderId, String customerId, String reason) {
    }
}
