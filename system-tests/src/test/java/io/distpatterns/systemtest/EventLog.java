package io.distpatterns.systemtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * Everything that reaches {@code orders.events} and {@code inventory.events}, read from the start
 * by a consumer of its own (as any downstream system would), with the time the test first saw it.
 * Keeps running through broker restarts: the client reconnects by itself.
 */
final class EventLog implements AutoCloseable {

    static final String ORDERS_EVENTS = "orders.events";
    static final String INVENTORY_EVENTS = "inventory.events";

    /** One record as read; {@code eventId} and the rest are null when the value is not an envelope. */
    record Event(String topic, int partition, long offset, String key, byte[] value, List<Header> headers,
                 String eventId, String eventType, String aggregateId, long aggregateVersion, String orderId,
                 long seenAtMillis) {
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Long> firstDecision = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final String bootstrap;

    EventLog(String bootstrap) {
        this.bootstrap = bootstrap;
        this.thread = new Thread(this::consume, "event-log");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * When the order's first decision (OrderConfirmed, OrderRejected or OrderCancelled) reached Kafka: the
     * record's timestamp (set by the relay's producer at send, same machine clock), not when this observer
     * read it, so the observer's own start-up (group join, first fetch) does not count as saga latency.
     */
    Long decidedAt(String orderId) {
        return firstDecision.get(orderId);
    }

    synchronized List<Event> snapshot() {
        return List.copyOf(events);
    }

    synchronized int size() {
        return events.size();
    }

    private void consume() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-observer-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(ORDERS_EVENTS, INVENTORY_EVENTS));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    add(r);
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                throw e;
            }
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> r) {
        long now = System.currentTimeMillis();
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        JsonNode envelope = r.value() == null ? null : Json.readOrNull(new String(r.value(), StandardCharsets.UTF_8));
        List<Header> headers = List.of(r.headers().toArray());
        Event event;
        if (envelope == null || !envelope.hasNonNull("eventId")) {
            event = new Event(r.topic(), r.partition(), r.offset(), key, r.value(), headers, null, null, null, 0, null, now);
        } else {
            String type = envelope.path("eventType").asString();
            JsonNode payload = envelope.path("payload");
            String orderId = payload.hasNonNull("orderId") ? payload.path("orderId").asString() : null;
            event = new Event(r.topic(), r.partition(), r.offset(), key, r.value(), headers,
                    envelope.path("eventId").asString(), type, envelope.path("aggregateId").asString(),
                    envelope.path("aggregateVersion").asLong(), orderId, now);
            if (ORDERS_EVENTS.equals(r.topic()) && orderId != null
                    && (type.equals("OrderConfirmed") || type.equals("OrderRejected") || type.equals("OrderCancelled"))) {
                firstDecision.putIfAbsent(orderId, r.timestamp() > 0 ? r.timestamp() : now);
            }
        }
        synchronized (this) {
            events.add(event);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
