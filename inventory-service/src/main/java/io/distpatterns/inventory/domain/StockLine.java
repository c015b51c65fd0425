package io.distpatterns.inventory.domain;

/** A quantity of one SKU. */
public record StockLine(String sku, int quantity) {
}
