/**
 * outbox-relay: publishes every outbox to Kafka, at least once, in commit order per aggregate.
 *
 * <p>{@code persistence} holds the SQL: {@code OutboxSource} (the cursor-free, version-ordered read,
 * marking published, parking, clean-up), {@code SourceCatalog} (which databases to relay, rebuilt
 * from configuration and the shard map) and {@code PartitionLeases} (the lease table in the relay's
 * own database). {@code domain} holds the ordering rule ({@code OrderedBatch}) and adaptive polling.
 * {@code messaging} runs the relay ({@code OutboxRelay}: a worker per source, a lease keeper, the
 * housekeeping) and the Kafka producer ({@code EventPublisher}). {@code web} is the admin API for
 * parked rows.
 */
package io.distpatterns.relay;
