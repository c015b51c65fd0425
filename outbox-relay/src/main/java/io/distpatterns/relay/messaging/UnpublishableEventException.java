package io.distpatterns.relay.messaging;

/** A row that cannot become a Kafka record (unreadable payload, larger than Kafka accepts): retrying will not help. */
class UnpublishableEventException extends RuntimeException {

    UnpublishableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
