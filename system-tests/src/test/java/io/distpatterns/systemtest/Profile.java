package io.distpatterns.systemtest;

import java.time.Duration;

/**
 * How hard and how long a run pushes. {@code ci} fits the build's time budget on a 2-core machine;
 * {@code long} is the by-hand run (bench/system-test.sh long). The fault sequence is the same;
 * {@code faultGap} is the quiet load between two faults.
 */
record Profile(String name, int minLoadSeconds, double ordersPerSecond, int customers, int products, int initialStock,
               double cancelFraction, double repeatFraction, double locationsPerSecond, Duration faultGap,
               Duration settleBound, Duration retryDeadline) {

    static Profile named(String name) {
        switch (name) {
            case "ci":
                return new Profile("ci", 120, 5, 200, 12, 600, 0.1, 0.1, 4, Duration.ofSeconds(15),
                        Duration.ofMinutes(4), Duration.ofMinutes(4));
            case "long":
                return new Profile("long", 900, 10, 1000, 20, 1500, 0.1, 0.1, 10, Duration.ofSeconds(90),
                        Duration.ofMinutes(5), Duration.ofMinutes(5));
            default:
                throw new IllegalArgumentException("system-test.profile must be ci or long, not " + name);
        }
    }
}
