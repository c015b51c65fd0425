package io.distpatterns.platform.consumer;

/**
 * A record that can never be processed, however often it is retried: it goes to the dead-letter
 * topic at once. Anything else a listener throws is treated as transient and retried with backoff.
 */
public class UnprocessableEventException extends RuntimeException {

    /** Why the record can never pass. */
    public enum Reason { UNPARSEABLE, SCHEMA_INVALID, UNKNOWN_EVENT_TYPE, BUSINESS_RULE }

    private final Reason reason;

    public UnprocessableEventException(Reason reason, String message) {
        this(reason, message, null);
    }

    public UnprocessableEventException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
