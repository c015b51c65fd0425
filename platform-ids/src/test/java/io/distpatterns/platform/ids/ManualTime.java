package io.distpatterns.platform.ids;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A wall clock the test sets by hand. Optionally, a script of readings to return first (one per
 * call to currentMillis), after which it returns the last set value; nanoTime is set by hand too.
 */
final class ManualTime implements TimeSource {

    private final Deque<Long> script = new ArrayDeque<>();
    private long millis;
    private long nanos;
    int millisReads;

    ManualTime(long millis) {
        this.millis = millis;
    }

    void set(long millis) {
        this.millis = millis;
    }

    /** The next readings, in order, then the last of them stays. */
    void then(long... readings) {
        for (long r : readings) {
            script.add(r);
        }
        millis = readings[readings.length - 1];
    }

    void advanceNanos(long n) {
        nanos += n;
    }

    @Override
    public long currentMillis() {
        millisReads++;
        Long next = script.poll();
        return next != null ? next : millis;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }
}
