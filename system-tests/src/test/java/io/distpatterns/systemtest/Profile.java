package io.distpatterns.systemtest;

import java.time.Duration;

/**
 * How hard and how long a run pushes. {@code ci} fits the build's time budget on a 2-core machine;
 * {@code long} is the by-hand run (bench/system-test.sh long: twice the rate, at least 10 minutes of load). The fault sequence is the same;
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
                return new Profile("long", 600, 10, 1000, 20, 1000, 0.1, 0.1, 10, Duration.ofSeconds(60),
                        Duration.ofMinutes(5), Duration.ofMinutes(5));
            default:
                throw new IllegalArgumentException("system-test.profile must be ci or long, not " + name);
        }
    }
}
