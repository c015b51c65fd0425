package io.distpatterns.inventory.domain;

import java.util.List;

/** Payloads of inventory's events on {@code inventory.events}; the aggregate is the order's reservation (id = order id). */
public final class InventoryEvents {

    public static final String AGGREGATE_TYPE = "Reservation";
    public static final int SCHEMA_VERSION = 1;

    private InventoryEvents() {
    }

    /** A line that could not be reserved: how many were asked and how many were free (0 for an unknown SKU). */
    public record ShortLine(String sku, int requested, int available, boolean unknownSku) {
    }

    public record StockReserved(String orderId, List<StockLine> lines) {
    }

    /** @param reason {@code INSUFFICIENT_STOCK} or {@code UNKNOWN_SKU} */
    public record StockRejected(String orderId, String reason, List<ShortLine> shortLines) {
    }

    /** @param releasedFrom {@code RESERVED}, {@code COMMITTED}, or {@code NONE} when nothing was held (cancel came first) */
    public record StockReleased(String orderId, List<StockLine> lines, String releasedFrom) {
    }
}
