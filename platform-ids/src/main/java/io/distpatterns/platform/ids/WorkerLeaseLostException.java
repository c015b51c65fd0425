package io.distpatterns.platform.ids;

/** The worker-ID lease expired or was taken over; this instance must not issue IDs with it. */
public class WorkerLeaseLostException extends IdGenerationException {

    public WorkerLeaseLostException(String message) {
        super(message);
    }
}
