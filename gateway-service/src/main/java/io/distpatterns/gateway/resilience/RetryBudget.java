package io.distpatterns.gateway.resilience;

/**
 * Caps retries to a share of the traffic so that retries cannot multiply the load on a struggling
 * service: every request deposits {@code ratio} of a token, every retry withdraws one; on top of that
 * {@code minPerSecond} tokens are granted per second so that low traffic can still retry. The balance
 * never exceeds ten seconds' worth of grants plus ten retries.
 */
final class RetryBudget {

    private final double ratio;
    private final double minPerSecond;
    private final double cap;
    private double balance;
    private long lastNanos;

    RetryBudget(double ratio, int minPerSecond) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.cap = minPerSecond * 10.0 + 10;
        this.balance = minPerSecond;
        this.lastNanos = System.nanoTime();
    }

    synchronized void recordRequest() {
        refill();
        balance = Math.min(cap, balance + ratio);
    }

    /** Takes one retry from the budget; false when it is spent. */
    synchronized boolean tryWithdraw() {
        refill();
        if (balance >= 1 - 1e-9) { // tolerate float drift: 5 deposits of 0.2 make one retry
            balance -= 1;
            return true;
        }
        return false;
    }

    private void refill() {
        long now = System.nanoTime();
        balance = Math.min(cap, balance + (now - lastNanos) / 1e9 * minPerSecond);
        lastNanos = now;
    }
}
