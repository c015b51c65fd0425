package io.distpatterns.relay;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The service contract with Kafka unreachable: the relay starts, is ready, and says Kafka is the problem only once it sends. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=127.0.0.1:1", "relay.order-shard-count=1"})
@IsolatedDatabases
class OutboxRelayIT extends ServiceContract {

    @Override
    protected String expectedApplicationName() {
        return "outbox-relay";
    }

    @Test
    void listsNoParkedEventsAndAnswersProblemJsonForAnUnknownOutbox() {
        var list = get("/outbox/parked");
        var unknown = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/outbox/parked/nowhere/1/retry"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        var badId = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/outbox/parked/inventory/abc/skip"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("{\"events\":[]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(unknown.body()).contains("\"field\":\"source\"");
        assertThat(badId.statusCode()).isEqualTo(400);
    }

    @Test
    void reportsItsPartitionsInHealthAndPublishesPerSourceMetrics() throws Exception {
        String health = "";
        for (int i = 0; i < 50 && !health.contains("\"partitionsHeld\":[0"); i++) {
            Thread.sleep(100);
            health = get("/actuator/health").body();
        }

        assertThat(health).contains("\"relay\"").contains("\"partitionsHeld\":[0,1,2");
        assertThat(get("/actuator/prometheus").body()).contains("relay_partitions_held");
    }
}
