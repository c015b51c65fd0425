package io.distpatterns.relay.domain;

/** The outbox has no parked row with this event id (never parked, already retried or skipped). */
public class ParkedEventNotFoundException extends RuntimeException {

    public ParkedEventNotFoundException(String source, long eventId) {
        super("outbox '" + source + "' has no parked event " + eventId);
    }
}
