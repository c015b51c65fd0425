package io.distpatterns.order.domain;

/** A move cannot start or change: another is open, the shard does not exist or cannot be drained, ... (409). */
public class MoveConflictException extends RuntimeException {

    public MoveConflictException(String message) {
        super(message);
    }
}
