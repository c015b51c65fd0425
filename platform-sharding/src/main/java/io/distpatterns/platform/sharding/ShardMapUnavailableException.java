package io.distpatterns.platform.sharding;

/** No shard map has been loaded yet (shard-router unreachable since start), so no key can be routed. */
public class ShardMapUnavailableException extends RuntimeException {

    public ShardMapUnavailableException(String message) {
        super(message);
    }
}
