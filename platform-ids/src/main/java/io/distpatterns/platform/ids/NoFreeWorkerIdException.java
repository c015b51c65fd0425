package io.distpatterns.platform.ids;

/** Every worker ID in the configured range is leased by a live instance. */
public class NoFreeWorkerIdException extends IdGenerationException {

    public NoFreeWorkerIdException(String message) {
        super(message);
    }
}
