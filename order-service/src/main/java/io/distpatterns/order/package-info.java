/**
 * order-service: Orders on N PostgreSQL shards (orders_shard_0..N-1), keyed by customer; saga participant. Every shard database is created if missing and migrated by Flyway at start.
 *
 * <p>Packages by role: {@code domain} (the rules, free of transport), {@code web} (controllers,
 * request and response records, problem+json mapping), {@code messaging} (Kafka listeners and
 * publishing), {@code persistence} (SQL), {@code config}.
 */
package io.distpatterns.order;
