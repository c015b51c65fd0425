package io.distpatterns.shardrouter.domain;

/** The client edited an older version than the current one: re-read the map and retry. */
public class StaleMapVersionException extends RuntimeException {

    private final long expected;
    private final long current;

    public StaleMapVersionException(long expected, long current) {
        super("the shard map is at version " + current + ", not " + expected + ": re-read it and retry");
        this.expected = expected;
        this.current = current;
    }

    public long expected() {
        return expected;
    }

    public long current() {
        return current;
    }
}
