package io.distpatterns.platform.ids;

/**
 * The generator refused to issue an ID because issuing one could break uniqueness or order. The
 * message says why and what to look at; callers should fail the request, not retry in a loop.
 */
public class IdGenerationException extends RuntimeException {

    public IdGenerationException(String message) {
        super(message);
    }

    public IdGenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
