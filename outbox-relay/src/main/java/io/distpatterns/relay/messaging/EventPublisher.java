package io.distpatterns.relay.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.relay.domain.OutboxRow;

/**
 * Sends outbox rows to Kafka asynchronously through one idempotent producer ({@code acks=all},
 * up to 5 requests in flight, which the idempotent producer keeps in order per partition). Key =
 * aggregate id; value = the {@link EventEnvelope} as JSON; headers = the envelope's metadata and
 * the {@code traceparent} of a PRODUCER span that is a child of the row's traceparent, so the
 * consumer's span joins the trace of the transaction that wrote the event.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final JsonMapper json;
    private final Tracer tracer;
    private final Propagator propagator;
    private final int maxMessageBytes;

    public EventPublisher(Producer<String, byte[]> producer, JsonMapper json, Tracer tracer, Propagator propagator,
                          int maxMessageBytes) {
        this.producer = producer;
        this.json = json;
        this.tracer = tracer;
        this.propagator = propagator;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The producer the relay uses: idempotent, acks=all, batched (linger 5 ms, 256 KiB, lz4). */
    public static Producer<String, byte[]> producer(String bootstrapServers, String clientId, int maxMessageBytes,
                                                    java.time.Duration deliveryTimeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(maxMessageBytes + 4096, 1_048_576));
        int request = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, deliveryTimeout.toMillis() / 3));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(request + 5, deliveryTimeout.toMillis()));
        // Kafka down must not block the relay's threads: metadata waits are short, the relay backs off itself.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends one row; the future completes when Kafka acknowledged it (acks=all) or failed.
     *
     * @throws UnpublishableEventException when the row cannot become a record at all
     */
    public CompletableFuture<RecordMetadata> send(String source, OutboxRow row) {
        byte[] value;
        try {
            EventEnvelope envelope = new EventEnvelope(Long.toString(row.eventId()), row.eventType(), row.aggregateType(),
                    row.aggregateId(), row.aggregateVersion(), row.occurredAt(), row.schemaVersion(),
                    json.readTree(row.payload()), row.traceparent());
            value = json.writeValueAsBytes(envelope);
        } catch (RuntimeException e) {
            throw new UnpublishableEventException("cannot serialize the envelope: " + e.getMessage(), e);
        }
        if (value.length > maxMessageBytes) {
            throw new UnpublishableEventException("record of " + value.length + " bytes is larger than the "
                    + maxMessageBytes + " bytes Kafka accepts (relay.max-message-bytes)", null);
        }
        RecordHeaders headers = new RecordHeaders();
        header(headers, "eventId", Long.toString(row.eventId()));
        header(headers, "eventType", row.eventType());
        header(headers, "aggregateType", row.aggregateType());
        header(headers, "aggregateId", row.aggregateId());
        header(headers, "aggregateVersion", Long.toString(row.aggregateVersion()));
        header(headers, "schemaVersion", Integer.toString(row.schemaVersion()));
        header(headers, "occurredAt", row.occurredAt().toString());
        header(headers, "outboxSource", source);

        Span span = producerSpan(row);
        if (span != null) {
            propagator.inject(span.context(), headers, (carrier, key, v) -> {
                carrier.remove(key);
                header(carrier, key, v);
            });
        }
        if (headers.lastHeader("traceparent") == null && row.traceparent() != null) {
            header(headers, "traceparent", row.traceparent());
        }
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(row.topic(), null, row.aggregateId(), value, headers), (metadata, error) -> {
                if (span != null) {
                    if (error != null) {
                        span.error(error);
                    }
                    span.end();
                }
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            if (span != null) {
                span.error(e);
                span.end();
            }
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private Span producerSpan(OutboxRow row) {
        if (tracer == Tracer.NOOP) {
            return null;
        }
        Span.Builder builder = row.traceparent() == null ? tracer.spanBuilder().setNoParent()
                : propagator.extract(Map.of("traceparent", row.traceparent()), (carrier, key) -> carrier.get(key));
        return builder.name(row.topic() + " publish").kind(Span.Kind.PRODUCER)
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", row.topic())
                .tag("messaging.kafka.message.key", row.aggregateId())
                .tag("event.type", row.eventType())
                .start();
    }

    private static void header(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends what the producer holds now instead of after its linger: the relay calls it once a
     * cycle's window is handed over, so batching stays (a window's records are batched already) and
     * the last partial batch does not wait out {@code linger.ms}. Returns when those records are
     * acknowledged or failed.
     */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
