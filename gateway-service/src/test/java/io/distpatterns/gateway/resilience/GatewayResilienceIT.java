package io.distpatterns.gateway.resilience;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Breakers, timeouts, retries and shedding against real HTTP downstreams whose behaviour the test
 * scripts. Each test uses its own route and downstream so that breaker states do not leak between tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayResilienceIT {

    static final String KEY = "local-dev-key";
    static final String ADMIN_KEY = "local-admin-key";

    static final ScriptedHttpServer inventory = new ScriptedHttpServer();  // route products: failures
    static final ScriptedHttpServer geo = new ScriptedHttpServer();        // route drivers: slow calls
    static final ScriptedHttpServer shards = new ScriptedHttpServer();     // route shards: retries
    static final ScriptedHttpServer orders = new ScriptedHttpServer();     // routes orders, admin-orders: shedding, timeout

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        registry.add("INVENTORY_SERVICE_URL", inventory::baseUrl);
        registry.add("GEO_SERVICE_URL", geo::baseUrl);
        registry.add("SHARD_ROUTER_URL", shards::baseUrl);
        registry.add("ORDER_SERVICE_URL", orders::baseUrl);
        registry.add("gateway.breaker.window", () -> "30s");
        registry.add("gateway.breaker.minimum-calls", () -> "4");
        registry.add("gateway.breaker.failure-rate-threshold", () -> "50");
        registry.add("gateway.breaker.slow-call-duration", () -> "100ms");
        registry.add("gateway.breaker.slow-call-rate-threshold", () -> "50");
        registry.add("gateway.breaker.open-duration", () -> "500ms");
        registry.add("gateway.breaker.half-open-calls", () -> "2");
        registry.add("gateway.routes.products.retries", () -> "false");
        registry.add("gateway.routes.drivers.retries", () -> "false");
        registry.add("gateway.routes.orders.max-in-flight", () -> "4");
        registry.add("gateway.routes.admin-orders.timeout", () -> "300ms");
        registry.add("gateway.routes.admin-orders.retries", () -> "false");
        registry.add("gateway.retry.initial-backoff", () -> "5ms");
    }

    @AfterAll
    static void stop() {
        inventory.close();
        geo.close();
        shards.close();
        orders.close();
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DownstreamPolicies policies;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void closeBreakers() {
        for (String downstream : List.of("inventory-service", "geo-service", "shard-router", "order-service")) {
            policies.breaker(downstream).reset();
        }
    }

    @Test
    void breakerOpensOnFailuresAnswers503WithoutCallingTheServiceAndClosesAfterRecovery() {
        inventory.answer(500, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(get("/api/products/p" + i, KEY).statusCode()).isEqualTo(500);
        }

        var refused = get("/api/products/refused", KEY);

        assertProblem(refused, 503);
        assertThat(refused.body()).contains("inventory-service").contains("open");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(inventory.count("/products/refused")).as("an open breaker does not call the service").isZero();
        assertThat(policies.breaker("inventory-service").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        inventory.answer(200, 0);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/api/products/probe", KEY).statusCode() == 200
                        && policies.breaker("inventory-service").getState() == CircuitBreaker.State.CLOSED);
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "inventory-service")
                .tag("state", "closed").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void breakerOpensOnSlowCalls() {
        geo.answer(200, 250);
        for (int i = 0; i < 4; i++) {
            assertThat(get("/api/drivers/slow" + i, KEY).statusCode()).isEqualTo(200);
        }

        var refused = get("/api/drivers/after-slow", KEY);

        assertProblem(refused, 503);
        assertThat(policies.breaker("geo-service").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(policies.breaker("geo-service").getMetrics().getNumberOfSlowSuccessfulCalls()).isEqualTo(4);

        geo.answer(200, 0);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/api/drivers/fast", KEY).statusCode() == 200
                        && policies.breaker("geo-service").getState() == CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldReturn504ProblemWhenServiceExceedsRouteTimeout() {
        orders.answer(200, 1500);
        try {
            var response = get("/api/admin/orders/slow", "local-admin-key");

            assertProblem(response, 504);
            assertThat(response.body()).contains("did not answer in time");
        } finally {
            orders.answer(200, 0);
        }
    }

    @Test
    void retriesIdempotentRequestAfter503() {
        shards.answer(200, 0).failFirst(1, 503);

        var response = get("/api/shards/retried", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(shards.count("/shards/retried")).isEqualTo(2);
    }

    @Test
    void a503WithRetryAfterIsPassedOnNeitherRetriedNorCountedAgainstTheBreaker() {
        orders.answer(503, 250).retryAfter("2"); // slower than the test's slow-call threshold: not a slow call either
        try {
            for (int i = 0; i < 10; i++) {
                var response = send(request("/api/orders/shard-down", KEY).header("Idempotency-Key", "k-" + i)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"c-1\"}")).build());
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).contains("2");
            }
            assertThat(orders.count("/orders/shard-down")).as("each request reached the service once").isEqualTo(10);
            assertThat(policies.breaker("order-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(policies.breaker("order-service").getMetrics().getNumberOfFailedCalls()).isZero();
            assertThat(policies.breaker("order-service").getMetrics().getNumberOfSlowCalls()).isZero();
        } finally {
            orders.answer(200, 0).retryAfter(null);
        }
    }

    @Test
    void doesNotRetryPostWithoutIdempotencyKey() {
        shards.answer(200, 0).failFirst(1, 503);

        var response = send(request("/api/shards/not-retried", ADMIN_KEY) // shard map writes need an admin key
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(shards.count("/shards/not-retried")).isEqualTo(1);
    }

    @Test
    void retriesPostWithIdempotencyKeyResendingTheSameBody() {
        shards.answer(200, 0).failFirst(1, 502);

        var response = send(request("/api/shards/idempotent", ADMIN_KEY).header("Idempotency-Key", "k-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":42}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(shards.received()).filteredOn(r -> r.path().equals("/shards/idempotent"))
                .hasSize(2).allSatisfy(r -> assertThat(r.body()).isEqualTo("{\"a\":42}"));
    }

    @Test
    void shedsRequestsBeyondMaxInFlightAtOnceWith503AndRetryAfter() throws Exception {
        CountDownLatch gate = orders.hold();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                flood.add(HTTP.sendAsync(request("/api/orders/held" + i, KEY).build(), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> orders.inFlight() == 4);
            List<HttpResponse<String>> shed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                shed.add(get("/api/orders/extra" + i, KEY));
            }

            assertThat(shed).allSatisfy(response -> {
                assertProblem(response, 503);
                assertThat(response.headers().firstValue("Retry-After")).contains("1");
                assertThat(response.body()).contains("in flight");
            });
            assertThat(orders.received()).noneMatch(r -> r.path().startsWith("/orders/extra"));
            assertThat(meters.find("gateway.shed").tag("route", "orders").counter().count()).isGreaterThanOrEqualTo(10);
        } finally {
            gate.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> held : flood) {
            assertThat(held.get().statusCode()).isEqualTo(200);
        }
        await("permits are given back").atMost(Duration.ofSeconds(5))
                .until(() -> get("/api/orders/after-flood", KEY).statusCode() == 200);
    }

    private HttpRequest.Builder request(String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("X-API-Key", key);
    }

    private HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).contains("\"title\":").contains("\"detail\":");
    }
}
