package io.distpatterns.order.domain;

/**
 * An order's state. PENDING until inventory answers; CONFIRMED or REJECTED by the saga; CANCELLED
 * by the customer (from PENDING or CONFIRMED) or by the timeout sweeper (from PENDING). REJECTED
 * and CANCELLED are final.
 */
public enum OrderStatus {
    PENDING, CONFIRMED, REJECTED, CANCELLED;

    public boolean cancellable() {
        return this == PENDING || this == CONFIRMED;
    }
}
