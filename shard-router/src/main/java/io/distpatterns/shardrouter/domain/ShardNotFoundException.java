package io.distpatterns.shardrouter.domain;

/** The change names a shard the map does not have. */
public class ShardNotFoundException extends RuntimeException {

    private final String shardId;

    public ShardNotFoundException(String shardId) {
        super("shard '" + shardId + "' does not exist");
        this.shardId = shardId;
    }

    public String shardId() {
        return shardId;
    }
}
