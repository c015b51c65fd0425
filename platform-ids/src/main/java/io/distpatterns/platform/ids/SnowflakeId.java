package io.distpatterns.platform.ids;

import java.time.Instant;

/** A decoded Snowflake ID: when it was issued (milliseconds), by which worker, with which sequence. */
public record SnowflakeId(long id, long unixMillis, int workerId, int sequence) {

    public Instant timestamp() {
        return Instant.ofEpochMilli(unixMillis);
    }
}
