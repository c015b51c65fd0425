/**
 * outbox-relay: Publishes every outbox to Kafka, at least once, in commit order per aggregate.
 *
 * <p>Packages by role: {@code domain} (the rules, free of transport), {@code web} (controllers,
 * request and response records, problem+json mapping), {@code messaging} (Kafka listeners and
 * publishing), {@code persistence} (SQL), {@code config}.
 */
package io.distpatterns.relay;
