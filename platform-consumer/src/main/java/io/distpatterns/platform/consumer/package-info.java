/**
 * What every Kafka consumer of the platform needs, as mechanisms only (no service's rules).
 *
 * <ul>
 *   <li>{@link io.distpatterns.platform.consumer.Envelopes}: the {@code EventEnvelope} JSON of a record, or
 *       {@link io.distpatterns.platform.consumer.UnprocessableEventException} (never retried).</li>
 *   <li>{@link io.distpatterns.platform.consumer.ProcessedEvents}: the idempotent consumer. The event id is
 *       inserted into {@code processed_events} in the transaction of the effect; a redelivery finds it and
 *       does nothing. Rows expire after a TTL and are swept, so the table is bounded.</li>
 *   <li>{@link io.distpatterns.platform.consumer.ConsumerErrorHandling}: retries with exponential backoff and
 *       jitter, non-retryable failures and exhausted retries to {@code <topic>.DLT} with bounded headers.</li>
 *   <li>{@link io.distpatterns.platform.consumer.deadletter}: dead letters collected into a table, and the admin
 *       API under {@code /admin/dead-letters} (list, inspect, replay, discard; audited, idempotent, rate-limited).</li>
 * </ul>
 */
package io.distpatterns.platform.consumer;
