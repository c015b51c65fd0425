package io.distpatterns.order.domain;

import java.math.BigDecimal;

/** One line of an order: how many of a SKU at which unit price (at most 2 decimals). */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    public BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
