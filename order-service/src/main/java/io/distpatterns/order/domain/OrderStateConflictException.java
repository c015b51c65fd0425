package io.distpatterns.order.domain;

/** The order is not in a state that allows the request (for example cancelling a REJECTED order). */
public class OrderStateConflictException extends RuntimeException {

    private final OrderStatus currentStatus;

    public OrderStateConflictException(long orderId, OrderStatus currentStatus, String action) {
        super("order " + orderId + " is " + currentStatus + ": cannot " + action);
        this.currentStatus = currentStatus;
    }

    public OrderStatus currentStatus() {
        return currentStatus;
    }
}
