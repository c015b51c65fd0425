package io.distpatterns.inventory.messaging;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.distpatterns.inventory.domain.Product;
import io.distpatterns.inventory.service.ReservationService;
import io.distpatterns.inventory.service.StockService;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.TestHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static io.distpatterns.inventory.messaging.OrderEventsMother.cancelled;
import static io.distpatterns.inventory.messaging.OrderEventsMother.confirmed;
import static io.distpatterns.inventory.messaging.OrderEventsMother.newOrderId;
import static io.distpatterns.inventory.messaging.OrderEventsMother.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.consumer.retry.initial-interval=20ms", "platform.consumer.retry.max-interval=100ms",
        "platform.consumer.retry.jitter=10ms", "platform.consumer.retry.max-attempts=3"})
@IsolatedDatabases
@EmbeddedKafka(partitions = 3, topics = {"orders.events", "orders.events.DLT", "inventory.events"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class InventorySagaIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    KafkaTemplate<String, String> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StockService stock;
    @Autowired
    ReservationService reservations;
    @Value("${local.server.port}")
    int port;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    @Test
    void reservesEveryLineAndCommitsOnConfirmation() {
        String a = sku("a"), b = sku("b");
        stock.create(a, "A", 10, "test");
        stock.create(b, "B", 5, "test");
        String order = newOrderId();

        send(order, placed(order, Map.of(a, 3, b, 5)));

        awaitOutbox(order, "StockReserved");
        assertThat(stock.get(a)).isEqualTo(new Product(a, "A", 7, 3, 0));
        assertThat(stock.get(b)).isEqualTo(new Product(b, "B", 0, 5, 0));

        send(order, confirmed(order));

        await().atMost(WAIT).until(() -> stock.get(a).committed() == 3);
        assertThat(stock.get(b)).isEqualTo(new Product(b, "B", 0, 0, 5));
    }

    @Test
    void reservesNothingWhenOneLineIsShort() {
        String a = sku("a"), b = sku("b");
        stock.create(a, "A", 10, "test");
        stock.create(b, "B", 1, "test");
        String order = newOrderId();

        send(order, placed(order, Map.of(a, 3, b, 2)));

        String payload = awaitOutbox(order, "StockRejected");
        assertThat(payload).contains("INSUFFICIENT_STOCK").contains("\"sku\": \"" + b + "\"").doesNotContain(a);
        assertThat(stock.get(a).available()).isEqualTo(10);
        assertThat(stock.get(b).available()).isEqualTo(1);
    }

    @Test
    void everyEventDeliveredTwiceHasTheSameFinalState() {
        String a = sku("a");
        stock.create(a, "A", 10, "test");
        String kept = newOrderId(), cancelledOrder = newOrderId();
        List<String[]> events = List.of(
                new String[] {kept, placed(kept, Map.of(a, 2))},
                new String[] {cancelledOrder, placed(cancelledOrder, Map.of(a, 3))},
                new String[] {kept, confirmed(kept)},
                new String[] {cancelledOrder, cancelled(cancelledOrder, "customer")});

        for (String[] event : events) {
            send(event[0], event[1]);
            send(event[0], event[1]);
        }

        await().atMost(WAIT).until(() -> outboxCount(cancelledOrder, "StockReleased") == 1 && stock.get(a).committed() == 2);
        assertThat(stock.get(a)).isEqualTo(new Product(a, "A", 8, 0, 2));
        assertThat(outboxCount(kept, "StockReserved")).isEqualTo(1);
        assertThat(outboxCount(cancelledOrder, "StockReserved")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processed_events WHERE event_id IN (?, ?, ?, ?)", Integer.class,
                events.stream().map(e -> OrderEventsMother.parse(e[1]).eventId()).toArray())).isEqualTo(4);
        assertConserved(a, 10);
    }

    @Test
    void twoHundredConcurrentOrdersOfOneUnitReserveExactlyFifty() throws Exception {
        String a = sku("hot");
        stock.create(a, "Hot", 50, "test");
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            orders.add(newOrderId());
        }

        orders.parallelStream().forEach(order -> send(order, placed(order, Map.of(a, 1))));

        await().atMost(WAIT).until(() -> countOutbox(orders, "StockReserved") + countOutbox(orders, "StockRejected") == 200);
        assertThat(countOutbox(orders, "StockReserved")).isEqualTo(50);
        assertThat(countOutbox(orders, "StockRejected")).isEqualTo(150);
        assertThat(stock.get(a)).isEqualTo(new Product(a, "Hot", 0, 50, 0));
    }

    @Test
    void twoHundredOrdersRacingInTransactionsNeverOversell() throws Exception {
        String a = sku("race");
        stock.create(a, "Race", 50, "test");
        List<Callable<ReservationService.Outcome>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String order = newOrderId();
            String event = placed(order, Map.of(a, 1));
            calls.add(() -> reservations.reserve(OrderEventsMother.parse(event), order,
                    List.of(new io.distpatterns.inventory.domain.StockLine(a, 1))));
        }

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<ReservationService.Outcome> outcomes = new ArrayList<>();
        try {
            for (var f : pool.invokeAll(calls)) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(outcomes.stream().filter(o -> o == ReservationService.Outcome.RESERVED)).hasSize(50);
        assertThat(outcomes.stream().filter(o -> o == ReservationService.Outcome.REJECTED)).hasSize(150);
        assertThat(stock.get(a)).isEqualTo(new Product(a, "Race", 0, 50, 0));
    }

    @Test
    void cancelBeforeTheReservationArrivesLeavesNothingReserved() {
        String a = sku("a");
        stock.create(a, "A", 10, "test");
        String order = newOrderId();

        send(order, cancelled(order, "customer"));
        awaitOutbox(order, "StockReleased");
        send(order, placed(order, Map.of(a, 4)));
        String marker = newOrderId();
        send(order, placed(marker, Map.of(a, 1))); // same partition, after the late OrderPlaced

        awaitOutbox(marker, "StockReserved");
        assertThat(outboxCount(order, "StockReserved")).isZero();
        assertThat(stock.get(a)).isEqualTo(new Product(a, "A", 9, 1, 0));
    }

    @Test
    void cancelRacingTheReservationAlwaysEndsWithTheStockBack() throws Exception {
        String a = sku("a");
        stock.create(a, "A", 100, "test");
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String order = newOrderId();
            var place = OrderEventsMother.parse(placed(order, Map.of(a, 2)));
            var cancel = OrderEventsMother.parse(cancelled(order, "customer"));
            calls.add(() -> reservations.reserve(place, order, List.of(new io.distpatterns.inventory.domain.StockLine(a, 2))));
            calls.add(() -> reservations.release(cancel, order));
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (var f : pool.invokeAll(calls)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(stock.get(a)).isEqualTo(new Product(a, "A", 100, 0, 0));
        assertConserved(a, 100);
    }

    @Test
    void timedOutOrderGetsItsStockReleased() {
        String a = sku("a");
        stock.create(a, "A", 10, "test");
        String order = newOrderId();
        send(order, placed(order, Map.of(a, 6)));
        awaitOutbox(order, "StockReserved");

        send(order, cancelled(order, "timeout"));

        String released = awaitOutbox(order, "StockReleased");
        assertThat(released).contains("\"releasedFrom\": \"RESERVED\"");
        assertThat(stock.get(a)).isEqualTo(new Product(a, "A", 10, 0, 0));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWhileLaterMessagesAreProcessed() {
        String a = sku("a");
        stock.create(a, "A", 10, "test");
        String order = newOrderId(), after = newOrderId();

        send(order, "{not json");
        send(order, OrderEventsMother.envelope("OrderTeleported", order, 1, Map.of("orderId", order)));
        send(order, placed(after, Map.of(a, 1)));

        awaitOutbox(after, "StockReserved");
        await().atMost(WAIT).until(() -> deadLetters(order) == 2);
        var list = admin("GET", "/admin/dead-letters?status=NEW&eventType=OrderTeleported", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("UNKNOWN_EVENT_TYPE").contains("\"originTopic\":\"orders.events\"")
                .contains("\"attempts\":1");
    }

    @Test
    void aReplayThatFailsAgainIsDeadLetteredWithoutGrowingHeaders() throws Exception {
        String order = newOrderId();
        send(order, OrderEventsMother.envelope("OrderTeleported", order, 1, Map.of("orderId", order)));
        await().atMost(WAIT).until(() -> deadLetters(order) == 1);
        Long first = jdbc.queryForObject("SELECT id FROM dead_letters WHERE record_key = ?", Long.class, order);

        assertThat(admin("POST", "/admin/dead-letters/" + first + "/replay", "{}").statusCode()).isEqualTo(200);

        await().atMost(WAIT).until(() -> deadLetters(order) == 2);
        List<Integer> headerCounts = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", bootstrap, "auto.offset.reset", "earliest", "enable.auto.commit", false),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            var partitions = consumer.partitionsFor("orders.events.DLT").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (int i = 0; i < 20 && headerCounts.size() < 2; i++) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (order.equals(record.key())) {
                        headerCounts.add(record.headers().toArray().length);
                    }
                }
            }
        }
        assertThat(headerCounts).hasSize(2);
        assertThat(headerCounts.get(1)).isEqualTo(headerCounts.get(0) + 1); // + dlt-replay-of, once
    }

    @Test
    void transientFailureIsRetriedThenDeadLetteredAndReplayedOnceAfterTheFix() {
        String sku = sku("later");
        String dead = newOrderId();
        jdbc.execute("ALTER TABLE reservation_lines ADD CONSTRAINT test_block CHECK (sku <> '" + sku + "')");
        try {
            stock.create(sku, "Later", 5, "test");
            send(dead, placed(dead, Map.of(sku, 1)));
            await().atMost(WAIT).until(() -> deadLetters(dead) == 1);
        } finally {
            jdbc.execute("ALTER TABLE reservation_lines DROP CONSTRAINT test_block");
        }
        Long id = jdbc.queryForObject("SELECT id FROM dead_letters WHERE record_key = ?", Long.class, dead);
        var detail = admin("GET", "/admin/dead-letters/" + id, null);
        assertThat(detail.body()).contains("\"attempts\":3").contains("\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c");

        var first = admin("POST", "/admin/dead-letters/" + id + "/replay", "{\"reason\":\"constraint fixed\"}");
        var second = admin("POST", "/admin/dead-letters/" + id + "/replay", "{\"reason\":\"again\"}");

        assertThat(first.body()).contains("\"outcome\":\"DONE\"");
        assertThat(second.body()).contains("\"outcome\":\"ALREADY_DONE\"");
        awaitOutbox(dead, "StockReserved");
        assertThat(stock.get(sku).reserved()).isEqualTo(1);
        assertThat(admin("POST", "/admin/dead-letters/" + id + "/discard", "{}").statusCode()).isEqualTo(409);
        assertThat(admin("GET", "/admin/dead-letters/" + id, null).body()).contains("\"actor\":\"ops-1\"").contains("constraint fixed");
        assertThat(TestHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build()).body())
                .contains("dlt_depth_records").containsPattern("dlt_replays_total\\{[^}]*\\} 1.0").contains("dlt_records_total");
    }

    @Test
    void productApiValidatesAndAuditsAdjustments() {
        String a = sku("api");
        var created = admin("POST", "/products", "{\"sku\":\"" + a + "\",\"name\":\"Api\",\"initialStock\":7}");
        var duplicate = admin("POST", "/products", "{\"sku\":\"" + a + "\",\"name\":\"Api\",\"initialStock\":7}");
        var invalid = admin("POST", "/products", "{\"sku\":\"bad sku\",\"name\":\"\",\"initialStock\":-1}");
        var adjusted = admin("PUT", "/products/" + a + "/stock", "{\"delta\":-2,\"reason\":\"damaged\"}");
        var belowZero = admin("PUT", "/products/" + a + "/stock", "{\"delta\":-99,\"reason\":\"oops\"}");
        var noReason = admin("PUT", "/products/" + a + "/stock", "{\"delta\":1}");
        var missing = admin("GET", "/products/nope-" + a, null);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("sku").contains("name").contains("initialStock");
        assertThat(adjusted.body()).contains("\"available\":5");
        assertThat(belowZero.statusCode()).isEqualTo(409);
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/products/" + a, null).body())
                .isEqualTo("{\"sku\":\"" + a + "\",\"name\":\"Api\",\"available\":5,\"reserved\":0,\"committed\":0}");
        assertThat(admin("GET", "/products/" + a + "/adjustments", null).body()).contains("initial stock").contains("damaged");
        assertConserved(a, 5);
    }

    private void send(String key, String value) {
        try {
            kafka.send(new ProducerRecord<>("orders.events", key, value)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String awaitOutbox(String orderId, String type) {
        await().atMost(WAIT).until(() -> outboxCount(orderId, type) > 0);
        return jdbc.queryForObject("SELECT payload::text FROM outbox_events WHERE aggregate_id = ? AND event_type = ?",
                String.class, orderId, type);
    }

    private int outboxCount(String orderId, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox_events WHERE aggregate_id = ? AND event_type = ?",
                Integer.class, orderId, type);
    }

    private int countOutbox(List<String> orders, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox_events WHERE aggregate_id = ANY(?::varchar[]) AND event_type = ?",
                Integer.class, "{" + String.join(",", orders) + "}", type);
    }

    private int deadLetters(String key) {
        return jdbc.queryForObject("SELECT count(*) FROM dead_letters WHERE record_key = ?", Integer.class, key);
    }

    private void assertConserved(String sku, int total) {
        Product p = stock.get(sku);
        assertThat(p.available() + p.reserved() + p.committed()).isEqualTo(total);
        assertThat(jdbc.queryForObject("SELECT sum(delta) FROM stock_adjustments WHERE sku = ?", Integer.class, sku)).isEqualTo(total);
    }

    private java.net.http.HttpResponse<String> admin(String method, String path, String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("X-Admin-Actor", "ops-1");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return TestHttp.send(builder.build());
    }

    private static String sku(String prefix) {
        return prefix + "-" + newOrderId();
    }
}
