package io.distpatterns.order.domain;

public class OrderNotFoundException extends RuntimeException {

    public OrderNotFoundException(long orderId) {
        super("order " + orderId + " does not exist");
    }
}
