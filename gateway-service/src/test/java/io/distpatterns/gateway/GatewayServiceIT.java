package io.distpatterns.gateway;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.RecordingHttpServer;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayServiceIT extends ServiceContract {

    static final RecordingHttpServer orderService = RecordingHttpServer.answering(200, "{\"from\":\"order-service\"}");
    static final RecordingHttpServer zipkin = RecordingHttpServer.answering(202, "");

    @DynamicPropertySource
    static void downstream(DynamicPropertyRegistry registry) {
        registry.add("ORDER_SERVICE_URL", orderService::baseUrl);
        registry.add("management.tracing.export.enabled", () -> "true");
        registry.add("management.tracing.export.zipkin.endpoint", () -> zipkin.baseUrl() + "/api/v2/spans");
    }

    @AfterAll
    static void stopServers() {
        orderService.close();
        zipkin.close();
    }

    @Override
    protected String expectedApplicationName() {
        return "gateway-service";
    }

    @Test
    void routesApiOrdersToOrderServiceWithoutApiPrefix() {
        var response = get("/api/orders/42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("order-service");
        assertThat(orderService.received()).anySatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/orders/42");
        });
    }

    @Test
    void propagatesTraceDownstreamAndExportsItsSpanToZipkin() {
        get("/api/customers/7/orders");

        var downstream = orderService.await(r -> r.path().equals("/customers/7/orders"), Duration.ofSeconds(5))
                .orElseThrow();
        String traceparent = downstream.header("traceparent").orElseThrow(
                () -> new AssertionError("no traceparent header reached the service: " + downstream.headers()));
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceparent.split("-")[1];

        var export = zipkin.await(r -> r.path().equals("/api/v2/spans") && r.body().contains(traceId),
                Duration.ofSeconds(15));
        assertThat(export).as("a span of trace %s exported to the Zipkin endpoint", traceId).isPresent();
        assertThat(export.get().body()).contains("\"serviceName\":\"gateway-service\"");
    }
}
