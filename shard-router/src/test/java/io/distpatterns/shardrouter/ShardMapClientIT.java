package io.distpatterns.shardrouter;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapClient;
import io.distpatterns.platform.sharding.ShardMapUnavailableException;
import io.distpatterns.platform.test.IsolatedDatabasesContextCustomizerFactory;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.TestHttp;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client library against a real shard-router process-in-JVM: it routes locally exactly as the
 * service does, picks up a new version, and keeps routing from its last map once the service is gone.
 */
class ShardMapClientIT {

    @IsolatedDatabases
    static class OwnDatabases {
    }

    @Test
    void routesLikeTheServiceFollowsNewVersionsAndSurvivesItsAbsence() {
        var customizer = new IsolatedDatabasesContextCustomizerFactory().createContextCustomizer(OwnDatabases.class, List.of());
        ConfigurableApplicationContext router = new SpringApplicationBuilder(ShardRouterApplication.class)
                .initializers(ctx -> customizer.customizeContext(ctx, null))
                // a command-line argument: a default property would lose to application.yml's server.port 8084
                .run("--server.port=0", "--management.tracing.export.enabled=false");
        String base = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port");
        var client = new ShardMapClient(URI.create(base), Duration.ofHours(1)).start();
        try {
            long loaded = client.version();
            assertThat(loaded).isPositive();
            assertRoutesLikeTheService(client, base);

            TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/shards")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"orders_shard_4\", \"location\": \"orders_shard_4\"}")).build());
            assertThat(client.refresh()).isTrue();
            assertThat(client.version()).isEqualTo(loaded + 1);
            assertThat(client.refresh()).as("304: nothing new").isFalse();
            assertRoutesLikeTheService(client, base);

            ShardMap.Route before = client.route("customer-77");
            router.close();
            assertThat(client.refresh()).isFalse();

            assertThat(client.refreshFailures()).isPositive();
            assertThat(client.route("customer-77")).isEqualTo(before);
        } finally {
            client.close();
            router.close();
        }
    }

    @Test
    void cannotRouteBeforeAnyMapWasLoaded() {
        try (var client = new ShardMapClient(URI.create("http://127.0.0.1:9"), Duration.ofHours(1)).start()) {
            assertThat(client.version()).isEqualTo(-1);
            assertThatThrownBy(() -> client.route("anyone")).isInstanceOf(ShardMapUnavailableException.class);
        }
    }

    private static void assertRoutesLikeTheService(ShardMapClient client, String base) {
        JsonMapper json = JsonMapper.builder().build();
        for (int k = 0; k < 25; k++) {
            String key = "customer-" + k;
            var response = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/shards/route?key=" + key)).GET().build());
            var server = json.readTree(response.body());
            var local = client.route(key);
            assertThat(local.shardId()).as(key).isEqualTo(server.get("shardId").asString());
            assertThat(local.version()).isEqualTo(server.get("version").asLong());
        }
    }
}
