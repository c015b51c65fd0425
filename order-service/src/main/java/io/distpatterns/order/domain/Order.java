package io.distpatterns.order.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An order as stored on its customer's shard. */
public record Order(long id, String customerId, OrderStatus status, String currency, List<OrderLine> lines,
                    BigDecimal total, Instant createdAt) {

    /** The total of {@code lines}. */
    public static BigDecimal totalOf(List<OrderLine> lines) {
        return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
    }

    public Order withStatus(OrderStatus newStatus) {
        return new Order(id, customerId, newStatus, currency, lines, total, createdAt);
    }
}
