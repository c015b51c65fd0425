package io.distpatterns.platform.test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every platform service promises once it has booted: liveness and readiness probes that
 * answer UP, Prometheus metrics, an OpenAPI document, and its name in the environment. A service's
 * integration test extends this class and adds {@code @SpringBootTest(webEnvironment =
 * RANDOM_PORT)}; the checks run over real HTTP against the started server.
 */
public abstract class ServiceContract {

    @Value("${local.server.port}")
    protected int port;

    @Value("${spring.application.name}")
    protected String applicationName;

    /** The service's name as in ARCHITECTURE.md, for example {@code order-service}. */
    protected abstract String expectedApplicationName();

    @Test
    void answersLivenessAndReadinessProbesWithUp() {
        var liveness = get("/actuator/health/liveness");
        var readiness = get("/actuator/health/readiness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void exposesPrometheusMetricsTaggedWithApplicationName() {
        get("/actuator/health");

        var metrics = get("/actuator/prometheus");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("jvm_memory_used_bytes")
                .contains("application=\"" + expectedApplicationName() + "\"");
    }

    @Test
    void servesOpenApiDocument() {
        var document = get("/v3/api-docs");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("\"openapi\":\"3.");
    }

    @Test
    void runsUnderItsArchitectureName() {
        assertThat(applicationName).isEqualTo(expectedApplicationName());
    }

    /** A GET against the running service. */
    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    protected static HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }
}
