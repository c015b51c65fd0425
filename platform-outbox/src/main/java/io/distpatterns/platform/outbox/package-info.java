/**
 * The event envelope of ARCHITECTURE.md and the transactional outbox that stores it.
 *
 * <p>A service writes {@link io.distpatterns.platform.outbox.NewEvent}s with
 * {@link io.distpatterns.platform.outbox.OutboxWriter#append} inside the local transaction that makes
 * the change, on the same DataSource: both commit or neither does. The writer assigns the event its
 * Snowflake id, the aggregate's next version (numbering one aggregate's events in commit order) and
 * the W3C {@code traceparent} of the current span. It never publishes: outbox-relay reads the
 * table ({@link io.distpatterns.platform.outbox.OutboxSchema} creates it) and sends the
 * {@link io.distpatterns.platform.outbox.EventEnvelope} to Kafka.
 */
package io.distpatterns.platform.outbox;
