package io.distpatterns.inventory.domain;

/**
 * What inventory holds for an order. RESERVED → COMMITTED (order confirmed) or RELEASED (order
 * cancelled); COMMITTED → RELEASED (a confirmed order cancelled). REJECTED, RELEASED and CANCELLED
 * (the tombstone of a cancel that came before the order) are final: nothing is ever reserved for
 * such an order again.
 */
public enum ReservationStatus {
    RESERVED, REJECTED, COMMITTED, RELEASED, CANCELLED
}
