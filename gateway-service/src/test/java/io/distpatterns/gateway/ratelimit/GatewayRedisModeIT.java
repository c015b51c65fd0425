package io.distpatterns.gateway.ratelimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.RecordingHttpServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in Redis mode on a real Redis server of its own, failing closed: buckets live in Redis
 * while it answers; once it is stopped, requests get 503 problem+json and the fallbacks are counted on
 * /actuator/prometheus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRedisModeIT {

    static final RedisServerProcess redis = RedisServerProcess.start();
    static final RecordingHttpServer orderService = RecordingHttpServer.answering(200, "{}");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ORDER_SERVICE_URL", orderService::baseUrl);
        registry.add("GATEWAY_REDIS_URL", () -> "redis://127.0.0.1:" + redis.port());
        registry.add("gateway.rate-limit.mode", () -> "redis");
        registry.add("gateway.rate-limit.fail-mode", () -> "closed");
        registry.add("gateway.rate-limit.redis-key-prefix", () -> "gateway-it:");
        // Generous for a build machine under load: the first call also opens the connection.
        registry.add("gateway.rate-limit.redis-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        redis.close();
        orderService.close();
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void limitsThroughRedisAndFailsClosedWith503WhenRedisStops() {
        var shared = get("/api/orders/1", "local-admin-key");

        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(shared.headers().firstValue("RateLimit-Limit")).contains("20");
        assertThat(shared.headers().firstValue("RateLimit-Remaining")).contains("19");

        redis.stop();
        var refused = get("/api/orders/2", "local-admin-key");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("\"title\":\"Rate Limiter Unavailable\"");
        assertThat(orderService.received()).noneMatch(r -> r.path().equals("/orders/2"));
        assertThat(get("/actuator/prometheus", null).body())
                .containsPattern("gateway_ratelimit_fallbacks_total\\{[^}]*fail_mode=\"closed\"[^}]*\\} [1-9]");
    }

    private HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to " + path + " failed: " + e, e);
        }
    }
}
