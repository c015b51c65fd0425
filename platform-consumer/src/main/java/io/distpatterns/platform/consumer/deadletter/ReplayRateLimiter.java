package io.distpatterns.platform.consumer.deadletter;

/** A token bucket: {@code perSecond} tokens a second, at most {@code perSecond} stored. */
final class ReplayRateLimiter {

    private final int perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    ReplayRateLimiter(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
