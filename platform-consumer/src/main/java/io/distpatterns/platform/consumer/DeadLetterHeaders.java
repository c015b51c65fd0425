package io.distpatterns.platform.consumer;

/** Headers of dead letters beyond spring-kafka's {@code kafka_dlt-*}. */
public final class DeadLetterHeaders {

    /** How many deliveries failed before the record was dead-lettered (4-byte big-endian int). */
    public static final String ATTEMPTS = "dlt-attempts";
    /** On a replayed record: the id of the dead letter it replays (UTF-8). */
    public static final String REPLAY_OF = "dlt-replay-of";
    /** Prefixes of every header that belongs to a dead-lettering, stripped on replay. */
    public static final String SPRING_PREFIX = "kafka_dlt-";
    public static final String OWN_PREFIX = "dlt-";

    private DeadLetterHeaders() {
    }

    public static boolean isDeadLetterHeader(String name) {
        return name.startsWith(SPRING_PREFIX) || name.startsWith(OWN_PREFIX);
    }
}
