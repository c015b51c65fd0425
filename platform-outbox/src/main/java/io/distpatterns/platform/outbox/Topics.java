package io.distpatterns.platform.outbox;

/** The platform's Kafka topics, defined once. Key = aggregate id; dead letters go to {@code <topic>.DLT}. */
public final class Topics {

    public static final String ORDERS_EVENTS = "orders.events";
    public static final String INVENTORY_EVENTS = "inventory.events";
    public static final String DEAD_LETTER_SUFFIX = ".DLT";

    private Topics() {
    }
}
