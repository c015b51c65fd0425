package io.distpatterns.order.domain;

/**
 * A shard refused a write because the customer's ring range is moving off it (FROZEN: retry
 * shortly) or has moved (MOVED at {@code epoch}: refresh the map to at least that epoch and go to
 * the new owner). The service retries both transparently for a bounded time; a caller sees it only
 * as a 503 with Retry-After when that time runs out.
 */
public class StaleRouteException extends RuntimeException {

    private final boolean frozen;
    private final long epoch;
    private final long routedEpoch;

    public StaleRouteException(boolean frozen, long epoch, long routedEpoch) {
        super(frozen ? "the customer's shard range is being moved (write fence): retry shortly"
                : "the customer's shard range moved at map epoch " + epoch + "; this write was routed with epoch " + routedEpoch);
        this.frozen = frozen;
        this.epoch = epoch;
        this.routedEpoch = routedEpoch;
    }

    public boolean frozen() {
        return frozen;
    }

    public long epoch() {
        return epoch;
    }

    public long routedEpoch() {
        return routedEpoch;
    }
}
