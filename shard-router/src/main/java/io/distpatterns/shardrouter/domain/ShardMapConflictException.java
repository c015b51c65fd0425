package io.distpatterns.shardrouter.domain;

/** The change is well-formed but conflicts with the map as it is (duplicate id, last active shard, ...). */
public class ShardMapConflictException extends RuntimeException {

    public ShardMapConflictException(String message) {
        super(message);
    }
}
