package io.distpatterns.order.messaging;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.order.domain.OrderLine;
import io.distpatterns.order.domain.OrderStatus;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.order.service.OrderService;
import io.distpatterns.order.service.OrderTimeoutSweeper;
import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.TestHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.consumer.retry.initial-interval=20ms", "platform.consumer.retry.max-interval=100ms",
        "platform.consumer.retry.max-attempts=3", "orders.timeout-sweep-interval=1h"})
@IsolatedDatabases
@EmbeddedKafka(partitions = 3, topics = {"inventory.events", "inventory.events.DLT", "orders.events"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class OrderSagaIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    OrderService orders;
    @Autowired
    OrderTimeoutSweeper sweeper;
    @Autowired
    ShardDatabases shards;
    @Autowired
    ShardMapSource maps;
    @Autowired
    KafkaTemplate<String, String> kafka;
    @Value("${local.server.port}")
    int port;

    @Test
    void stockReservedDeliveredTwiceConfirmsOnce() {
        long order = place("c-confirm");
        String reserved = stockEvent("StockReserved", order, Map.of("orderId", Long.toString(order), "lines", List.of()));

        send(order, reserved);
        send(order, reserved);

        await().atMost(WAIT).until(() -> orders.get(order).status() == OrderStatus.CONFIRMED);
        drainPartitionOf(order);
        assertThat(outbox(order, "OrderConfirmed")).isEqualTo(1);
    }

    @Test
    void stockRejectedDeliveredTwiceRejectsOnce() {
        long order = place("c-reject");
        String rejected = stockEvent("StockRejected", order, Map.of("orderId", Long.toString(order), "reason", "INSUFFICIENT_STOCK",
                "shortLines", List.of()));

        send(order, rejected);
        send(order, rejected);

        await().atMost(WAIT).until(() -> orders.get(order).status() == OrderStatus.REJECTED);
        assertThat(jdbc(order).queryForObject("SELECT count(*) FROM processed_events WHERE event_id = ?", Integer.class,
                JSON.readValue(rejected, EventEnvelope.class).eventId())).isEqualTo(1);
        assertThat(outbox(order, "OrderRejected")).isEqualTo(1);
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWhileLaterMessagesAreProcessed() {
        long order = place("c-poison");

        send(order, "{\"eventId\":");
        send(order, stockEvent("StockReserved", order, Map.of("lines", List.of()))); // schema-invalid: no orderId
        send(order, stockEvent("StockReserved", order, Map.of("orderId", Long.toString(order))));

        await().atMost(WAIT).until(() -> orders.get(order).status() == OrderStatus.CONFIRMED);
        await().atMost(WAIT).until(() -> admin("GET", "/admin/dead-letters?status=NEW").body().split("\"id\":").length - 1 >= 2);
        String listed = admin("GET", "/admin/dead-letters?status=NEW").body();
        assertThat(listed).contains("UNPARSEABLE").contains("SCHEMA_INVALID").contains("\"originTopic\":\"inventory.events\"");
        assertThat(TestHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build()).body())
                .containsPattern("dlt_depth_records\\{[^}]*\\} 2.0").containsPattern("saga_orders_completed_total\\{[^}]*state=\"CONFIRMED\"");
    }

    @Test
    void timeoutSweepersRunningTogetherCancelEachExpiredOrderOnce() {
        long expired = place("c-timeout");
        long fresh = place("c-fresh");
        jdbc(expired).update("UPDATE orders SET created_at = now() - interval '1 hour' WHERE id = ?", expired);

        var one = CompletableFuture.supplyAsync(() -> sweeper.cancelExpired(Instant.now().minus(Duration.ofMinutes(5))));
        var two = CompletableFuture.supplyAsync(() -> sweeper.cancelExpired(Instant.now().minus(Duration.ofMinutes(5))));

        assertThat(one.join() + two.join()).isGreaterThanOrEqualTo(1);
        assertThat(orders.get(expired).status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(orders.get(fresh).status()).isEqualTo(OrderStatus.PENDING);
        assertThat(outbox(expired, "OrderCancelled")).isEqualTo(1);
        assertThat(jdbc(expired).queryForObject("SELECT payload->>'reason' FROM outbox_events WHERE aggregate_id = ? AND event_type = 'OrderCancelled'",
                String.class, Long.toString(expired))).isEqualTo("timeout");

        String lateReservation = stockEvent("StockReserved", expired, Map.of("orderId", Long.toString(expired)));
        send(expired, lateReservation);
        drainPartitionOf(expired);
        assertThat(processed(expired, lateReservation)).isEqualTo(1);
        assertThat(orders.get(expired).status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(outbox(expired, "OrderConfirmed")).isZero();
    }

    private long place(String customer) {
        String c = customer + "-" + UUID.randomUUID();
        return orders.place(new OrderService.PlaceOrder(c, "EUR", List.of(new OrderLine("sku-1", 1, new BigDecimal("9.99"))),
                UUID.randomUUID().toString(), "0".repeat(64)), o -> "{}").orderId();
    }

    /** Waits until everything sent before with {@code key} was consumed: a later record of the same key is. */
    private void drainPartitionOf(long key) {
        long marker = place("c-marker");
        send(key, stockEvent("StockReserved", marker, Map.of("orderId", Long.toString(marker))));
        await().atMost(WAIT).until(() -> orders.get(marker).status() == OrderStatus.CONFIRMED);
    }

    private static String stockEvent(String type, long order, Object payload) {
        return JSON.writeValueAsString(new EventEnvelope(UUID.randomUUID().toString().substring(0, 18), type, "Reservation",
                Long.toString(order), 1, Instant.now(), 1, JSON.valueToTree(payload), null));
    }

    private void send(long order, String value) {
        try {
            kafka.send(new ProducerRecord<>("inventory.events", Long.toString(order), value)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JdbcTemplate jdbc(long order) {
        return shards.open(maps.shardOf(orders.get(order).customerId())).jdbc();
    }

    private int outbox(long order, String type) {
        return jdbc(order).queryForObject("SELECT count(*) FROM outbox_events WHERE aggregate_id = ? AND event_type = ?",
                Integer.class, Long.toString(order), type);
    }

    private int processed(long order, String event) {
        return jdbc(order).queryForObject("SELECT count(*) FROM processed_events WHERE event_id = ?", Integer.class,
                JSON.readValue(event, EventEnvelope.class).eventId());
    }

    private java.net.http.HttpResponse<String> admin(String method, String path) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}
