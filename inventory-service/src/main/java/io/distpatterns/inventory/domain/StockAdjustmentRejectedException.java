package io.distpatterns.inventory.domain;

/** An adjustment would take available stock below zero (reserved and committed stock cannot be adjusted away). */
public class StockAdjustmentRejectedException extends RuntimeException {

    private final int available;

    public StockAdjustmentRejectedException(String sku, int delta, int available) {
        super("adjusting '" + sku + "' by " + delta + " would leave " + (available + delta) + " available");
        this.available = available;
    }

    public int available() {
        return available;
    }
}
