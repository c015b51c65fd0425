package io.distpatterns.platform.ids;

/**
 * Wall-clock milliseconds for the time bits and a monotonic nanosecond clock for lease validity.
 * Injectable so tests can move the wall clock backwards or freeze it.
 */
public interface TimeSource {

    long currentMillis();

    long nanoTime();

    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long currentMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };
}
