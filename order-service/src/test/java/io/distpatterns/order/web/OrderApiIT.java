package io.distpatterns.order.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.TestHttp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The order API over real HTTP on four real PostgreSQL shard databases. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.kafka.listener.auto-startup=false")
@IsolatedDatabases
class OrderApiIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String BODY = """
            {"customerId": "%s", "currency": "EUR",
             "lines": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 10.25}, {"sku": "SKU-2", "quantity": 1, "unitPrice": 5}]}""";

    @Value("${local.server.port}")
    int port;

    @Autowired
    ShardMapSource maps;

    @Autowired
    ShardDatabases shards;

    @Test
    void placesAPendingOrderOnItsCustomersShardWithItsEventInThatShardsOutbox() {
        String customer = "cust-" + UUID.randomUUID();

        var response = post("/orders", BODY.formatted(customer), UUID.randomUUID().toString());

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = json(response);
        String id = order.get("id").asString();
        assertThat(order.get("id").isString()).isTrue();
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + id);
        assertThat(order.get("status").asString()).isEqualTo("PENDING");
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("25.50");
        assertThat(order.get("lines")).hasSize(2);
        String shardId = maps.shardOf(customer).id();
        for (var shard : shards.opened().values()) {
            int rows = shard.jdbc().queryForObject("SELECT count(*) FROM orders WHERE customer_id = ?", Integer.class, customer);
            assertThat(rows).as(shard.shardId()).isEqualTo(shard.shardId().equals(shardId) ? 1 : 0);
        }
        var event = jdbc(customer).queryForMap(
                "SELECT event_type, aggregate_id, aggregate_version, topic, payload::text AS payload FROM outbox_events WHERE aggregate_id = ?", id);
        assertThat(event).containsEntry("event_type", "OrderPlaced").containsEntry("aggregate_version", 1L)
                .containsEntry("topic", "orders.events");
        assertThat(event.get("payload").toString()).contains("\"customerId\": \"" + customer + "\"").contains("SKU-2");
    }

    static Stream<Arguments> invalidRequests() {
        String ok = "{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": 1.00}";
        return Stream.of(
                Arguments.of("{\"customerId\": \"\", \"currency\": \"EUR\", \"lines\": [" + ok + "]}", "customerId"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EURO\", \"lines\": [" + ok + "]}", "currency"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"XYZ\", \"lines\": [" + ok + "]}", "currency"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": []}", "lines"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [" + hundredAndOneLines() + "]}", "lines"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"A\", \"quantity\": 0, \"unitPrice\": 1}]}", "lines[0].quantity"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"A\", \"quantity\": 1001, \"unitPrice\": 1}]}", "lines[0].quantity"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": 0}]}", "lines[0].unitPrice"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": 1.234}]}", "lines[0].unitPrice"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": \"abc\"}]}", "lines[0].unitPrice"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"\", \"quantity\": 1, \"unitPrice\": 1}]}", "lines[0].sku"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\", \"lines\": [" + ok + ", " + ok + "]}", "lines[1].sku"),
                Arguments.of("{\"customerId\": \"c\", \"currency\": \"EUR\"}", "lines"),
                Arguments.of("not json", "body"));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void rejectsInvalidRequestsNamingTheFieldAndStoresNothing(String body, String field) {
        long before = totalOrders();

        var response = post("/orders", body, UUID.randomUUID().toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("errors").findValuesAsString("field")).contains(field);
        assertThat(totalOrders()).isEqualTo(before);
    }

    @Test
    void requiresAnIdempotencyKey() {
        var response = post("/orders", BODY.formatted("no-key"), null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("errors").findValuesAsString("field")).containsExactly("Idempotency-Key");
    }

    @Test
    void retryWithTheSameKeyAndBodyReturnsTheFirstResponseWithoutASecondOrder() {
        String customer = "retry-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();

        var first = post("/orders", BODY.formatted(customer), key);
        var again = post("/orders", BODY.formatted(customer).replace("\"unitPrice\": 5}", "\"unitPrice\": 5.00}"), key);

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(ordersOf(customer)).isEqualTo(1);
    }

    @Test
    void sameKeyWithADifferentBodyIs422() {
        String customer = "reuse-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        post("/orders", BODY.formatted(customer), key);

        var response = post("/orders", BODY.formatted(customer).replace("\"quantity\": 2", "\"quantity\": 3"), key);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(ordersOf(customer)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateExactlyOneOrder() throws Exception {
        String customer = "race-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> post("/orders", BODY.formatted(customer), key));
        }

        Set<String> ids = new HashSet<>();
        for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
            assertThat(f.get().statusCode()).isEqualTo(201);
            ids.add(json(f.get()).get("id").asString());
        }
        pool.shutdown();

        assertThat(ids).hasSize(1);
        assertThat(ordersOf(customer)).isEqualTo(1);
        assertThat(jdbc(customer).queryForObject("SELECT count(*) FROM outbox_events WHERE aggregate_id = ?", Integer.class,
                ids.iterator().next())).isEqualTo(1);
    }

    @Test
    void findsAnOrderByIdAndAnswers404Or400Otherwise() {
        String id = json(post("/orders", BODY.formatted("reader-" + UUID.randomUUID()), UUID.randomUUID().toString()))
                .get("id").asString();

        assertThat(json(get("/orders/" + id)).get("id").asString()).isEqualTo(id);
        assertThat(get("/orders/12345").statusCode()).isEqualTo(404);
        assertThat(get("/orders/not-an-id").statusCode()).isEqualTo(400);
    }

    @Test
    void pagesThroughACustomersOrdersNewestFirst() {
        String customer = "pager-" + UUID.randomUUID();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(json(post("/orders", BODY.formatted(customer), UUID.randomUUID().toString())).get("id").asString());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/customers/" + customer + "/orders?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(item -> seen.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(placed);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(get("/customers/" + customer + "/orders?cursor=garbage").statusCode()).isEqualTo(400);
    }

    @Test
    void cancelsAPendingOrderOnceThenAnswers409WithTheCurrentState() {
        String customer = "cancel-" + UUID.randomUUID();
        String id = json(post("/orders", BODY.formatted(customer), UUID.randomUUID().toString())).get("id").asString();

        var cancelled = send("POST", "/orders/" + id + "/cancel", "{\"reason\": \"changed my mind\"}", null);
        var again = send("POST", "/orders/" + id + "/cancel", null, null);

        assertThat(json(cancelled).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("currentStatus").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc(customer).queryForList(
                "SELECT event_type FROM outbox_events WHERE aggregate_id = ? ORDER BY aggregate_version", String.class, id))
                .containsExactly("OrderPlaced", "OrderCancelled");
    }

    @Test
    void adminListingMergesEveryShard() {
        for (int i = 0; i < 8; i++) {
            post("/orders", BODY.formatted("admin-" + i + "-" + UUID.randomUUID()), UUID.randomUUID().toString());
        }

        JsonNode result = json(get("/admin/orders?status=PENDING&limit=500"));

        assertThat(result.get("complete").asBoolean()).isTrue();
        assertThat(result.get("shards")).hasSize(4);
        assertThat(result.get("items").size()).isGreaterThanOrEqualTo(8);
        assertThat(result.get("items").findValuesAsString("status")).containsOnly("PENDING");
    }

    @Test
    void aFailureAfterTheOrderInsertLeavesNeitherOrderNorEventNorKey() {
        String customer = "atomic-" + UUID.randomUUID();
        JdbcTemplate shard = jdbc(customer);
        shard.execute("ALTER TABLE outbox_events ADD CONSTRAINT refuse_victim CHECK (payload->>'customerId' <> '" + customer + "')");
        try {
            var response = post("/orders", BODY.formatted(customer), UUID.randomUUID().toString());

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(ordersOf(customer)).isZero();
            assertThat(shard.queryForObject("SELECT count(*) FROM idempotency_keys WHERE customer_id = ?", Integer.class, customer)).isZero();
        } finally {
            shard.execute("ALTER TABLE outbox_events DROP CONSTRAINT refuse_victim");
        }
    }

    @Test
    void aShardThatIsDownFailsFastWith503ForItsCustomersOnlyAndTheAdminListingNamesIt() {
        String downShard = "orders_shard_2";
        String victim = customerOn(downShard);
        String bystander = customerOn("orders_shard_0");
        String victimOrder = json(post("/orders", BODY.formatted(victim), UUID.randomUUID().toString())).get("id").asString();
        String database = shards.opened().get(downShard).database();
        JdbcTemplate admin = shards.opened().get("orders_shard_0").jdbc();
        admin.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        try {
            long start = System.nanoTime();
            var refused = post("/orders", BODY.formatted(victim), UUID.randomUUID().toString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            long againStart = System.nanoTime();
            var refusedAgain = post("/orders", BODY.formatted(victim), UUID.randomUUID().toString());
            long againMillis = (System.nanoTime() - againStart) / 1_000_000;
            var served = post("/orders", BODY.formatted(bystander), UUID.randomUUID().toString());
            var read = get("/orders/" + victimOrder);
            JsonNode listing = json(get("/admin/orders?limit=10"));

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(json(refused).get("shardId").asString()).isEqualTo(downShard);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(millis).as("fails fast, not after a 30 s pool timeout").isLessThan(10_000);
            assertThat(refusedAgain.statusCode()).isEqualTo(503);
            assertThat(againMillis).as("a shard known down is refused without waiting the 2 s connection timeout")
                    .isLessThan(1_000);
            assertThat(served.statusCode()).isEqualTo(201);
            assertThat(read.statusCode()).isEqualTo(503);
            assertThat(listing.get("complete").asBoolean()).isFalse();
            assertThat(listing.get("missingShards").has(downShard)).isTrue();
        } finally {
            admin.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        }
        // back: the next probe (one request per orders.shards.outage-probe-interval) finds it and ends the outage
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/orders/" + victimOrder).statusCode() == 200);
        assertThat(json(get("/orders/" + victimOrder)).get("id").asString()).isEqualTo(victimOrder);
    }

    private String customerOn(String shardId) {
        for (int i = 0; ; i++) {
            String candidate = "on-" + shardId + "-" + i;
            if (maps.shardOf(candidate).id().equals(shardId)) {
                return candidate;
            }
        }
    }

    private JdbcTemplate jdbc(String customer) {
        return shards.opened().get(maps.shardOf(customer).id()).jdbc();
    }

    private int ordersOf(String customer) {
        return jdbc(customer).queryForObject("SELECT count(*) FROM orders WHERE customer_id = ?", Integer.class, customer);
    }

    private long totalOrders() {
        return shards.opened().values().stream()
                .mapToLong(s -> s.jdbc().queryForObject("SELECT count(*) FROM orders", Long.class)).sum();
    }

    private static String hundredAndOneLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            lines.add("{\"sku\": \"S" + i + "\", \"quantity\": 1, \"unitPrice\": 1}");
        }
        return String.join(", ", lines);
    }

    private HttpResponse<String> get(String path) {
        return TestHttp.send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey) {
        return send("POST", path, body, idempotencyKey);
    }

    private HttpResponse<String> send(String method, String path, String body, String idempotencyKey) {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return TestHttp.send(request.build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
