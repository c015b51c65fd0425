package io.distpatterns.gateway.ratelimit;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A constant arrival rate that does not wait for answers (open loop): arrival {@code i} is issued at
 * {@code start + i / rate}, whether or not earlier ones were answered. Returns the seconds between the
 * first and the last arrival, the time over which the bucket refilled.
 */
final class OpenLoopArrivals {

    private OpenLoopArrivals() {
    }

    static double run(int ratePerSecond, int count, IntConsumer arrival) {
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime();
        long last = start;
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 200_000));
            }
            arrival.accept(i);
            last = System.nanoTime();
        }
        return (last - start) / 1e9;
    }
}
