package io.distpatterns.order.persistence;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapClient;

/**
 * Publishes a move's next epoch to shard-router: {@code PUT /shards/{id}/ring} with the shard's
 * exact tokens and state and the expected version (a concurrent edit makes it fail with 409, and
 * the mover re-reads the map), then refreshes the local copy to the new version.
 */
public final class RouterRingPublisher implements ShardMapSource.Publisher {

    private final URI base;
    private final ShardMapClient client;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public RouterRingPublisher(URI routerBaseUrl, ShardMapClient client) {
        this.base = URI.create(routerBaseUrl.toString().replaceAll("/+$", ""));
        this.client = client;
    }

    @Override
    public ShardMap publish(ShardMap next, String shardId, long expectedVersion) {
        Shard shard = next.shard(shardId).orElseThrow();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location", shard.location());
        body.put("weight", shard.weight());
        body.put("state", shard.state().name());
        body.put("tokens", Arrays.stream(next.tokens().get(shardId)).mapToObj(Long::toString).toList());
        body.put("expectedVersion", expectedVersion);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/shards/" + shardId + "/ring"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("shard-router refused the ring change: HTTP " + response.statusCode() + " " + response.body());
            }
            long version = json.readTree(response.body()).get("version").asLong();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (client.version() < version && System.nanoTime() < deadline) {
                client.refresh();
            }
            return client.current().filter(m -> m.version() >= version)
                    .orElseThrow(() -> new IllegalStateException("shard map version " + version + " not loaded"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach shard-router at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
