/**
 * shard-router: Owns the shard map (consistent-hash ring plus a directory of pinned keys), versioned; clients cache it and route locally.
 *
 * <p>Packages by role: {@code domain} (the rules, free of transport), {@code web} (controllers,
 * request and response records, problem+json mapping), {@code messaging} (Kafka listeners and
 * publishing), {@code persistence} (SQL), {@code config}.
 */
package io.distpatterns.shardrouter;
