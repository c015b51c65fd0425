package io.distpatterns.order.domain;

/** The shard holding the customer's data does not answer; other customers are unaffected. */
public class ShardUnavailableException extends RuntimeException {

    private final String shardId;

    public ShardUnavailableException(String shardId, Throwable cause) {
        super("shard " + shardId + " is unavailable: " + (cause == null ? "not reachable" : rootMessage(cause)), cause);
        this.shardId = shardId;
    }

    public String shardId() {
        return shardId;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
