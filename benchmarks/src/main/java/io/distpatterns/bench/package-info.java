/**
 * Benchmarks of the shared mechanisms, measured against a named reference in the same run. They
 * are not tests and assert nothing: {@code bench/sharding.sh} and {@code bench/orders.sh} run them
 * and write the figures to {@code bench-results/}.
 */
package io.distpatterns.bench;
