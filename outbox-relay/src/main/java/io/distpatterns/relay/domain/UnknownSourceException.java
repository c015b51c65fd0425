package io.distpatterns.relay.domain;

/** No relayed outbox has this name. */
public class UnknownSourceException extends RuntimeException {

    public UnknownSourceException(String source) {
        super("no relayed outbox named '" + source + "'");
    }
}
