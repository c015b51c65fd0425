package io.distpatterns.shardrouter.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.ids.SnowflakeLayout;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.TestHttp;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The shard-map REST API over real HTTP on a real database. Tests add shards with unique ids, so order does not matter. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedDatabases
class ShardMapApiIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @org.springframework.beans.factory.annotation.Value("${local.server.port}")
    int port;

    @Test
    void startsWithTheFourOrderShards() {
        JsonNode map = json(get("/shards", null));

        assertThat(map.get("version").asLong()).isPositive();
        assertThat(map.get("shards").findValuesAsString("id"))
                .contains("orders_shard_0", "orders_shard_1", "orders_shard_2", "orders_shard_3");
    }

    @Test
    void publishesTheFullMapWithTokensForClients() {
        JsonNode map = json(get("/shards/map", null));

        assertThat(map.get("tokens").get("orders_shard_0").size()).isEqualTo(256);
        assertThat(map.get("vnodesPerShard").asInt()).isEqualTo(256);
    }

    @Test
    void routesAKeyTheSameWhateverItsNumericSpelling() {
        JsonNode route = json(get("/shards/route?key=12345", null));

        assertThat(route.get("key").asString()).isEqualTo("12345");
        assertThat(route.get("shardId").asString()).startsWith("orders_shard_");
        assertThat(route.get("pinned").asBoolean()).isFalse();
    }

    @Test
    void addingAShardAnswersTheNewVersionAndAMovePlan() {
        long version = currentVersion();

        var response = send("POST", "/shards", """
                {"id": "extra_a", "location": "orders_shard_extra_a", "expectedVersion": %d}""".formatted(version));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/shards/extra_a"));
        JsonNode body = json(response);
        assertThat(body.get("version").asLong()).isEqualTo(version + 1);
        JsonNode plan = body.get("plan");
        JsonNode shards = json(get("/shards", null)).get("shards");
        double newShare = 0;
        for (JsonNode shard : shards) {
            if (shard.get("id").asString().equals("extra_a")) {
                newShare = shard.get("share").asDouble();
            }
        }
        assertThat(plan.get("movedFraction").asDouble()).as("moves exactly what the new shard now owns")
                .isCloseTo(newShare, within(1e-6)).isPositive();
        assertThat(plan.get("transfers").findValuesAsString("to")).containsOnly("extra_a");
        assertThat(plan.get("ranges").get(0).get("toInclusive").isString()).isTrue();
    }

    @Test
    void staleVersionIsA409AndChangesNothing() {
        long version = currentVersion();

        var response = send("POST", "/shards", """
                {"id": "extra_stale", "location": "x", "expectedVersion": %d}""".formatted(version - 1));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("currentVersion").asLong()).isEqualTo(version);
        assertThat(currentVersion()).isEqualTo(version);
        assertThat(get("/shards", null).body()).doesNotContain("extra_stale");
    }

    @Test
    void badInputIsA400NamingTheFieldAndChangesNothing() {
        long version = currentVersion();

        var zeroWeight = send("POST", "/shards", "{\"id\": \"extra_w\", \"location\": \"x\", \"weight\": 0}");
        var absurdWeight = send("PUT", "/shards/orders_shard_0/weight", "{\"weight\": 1000000}");
        var badId = send("POST", "/shards", "{\"id\": \"Bad Id!\", \"location\": \"x\"}");
        var wrongType = send("POST", "/shards", "{\"id\": \"extra_t\", \"location\": \"x\", \"weight\": \"heavy\"}");

        assertThat(fields(zeroWeight)).containsExactly("weight");
        assertThat(fields(absurdWeight)).containsExactly("weight");
        assertThat(fields(badId)).containsExactly("id");
        assertThat(fields(wrongType)).containsExactly("weight");
        assertThat(currentVersion()).isEqualTo(version);
    }

    @Test
    void addingAShardOnlineMakesItJoiningWithItsTokensAndOwnsNothingYet() {
        var response = send("POST", "/shards", "{\"id\": \"extra_online\", \"location\": \"extra_online\", \"online\": true}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).get("plan").get("movedFraction").asDouble()).as("the plan of the move it starts").isPositive();
        JsonNode map = json(get("/shards", null));
        JsonNode shard = null;
        for (JsonNode s : map.get("shards")) {
            if (s.get("id").asString().equals("extra_online")) {
                shard = s;
            }
        }
        assertThat(shard.get("state").asString()).isEqualTo("JOINING");
        assertThat(shard.get("tokens").asInt()).isEqualTo(256);
        assertThat(shard.get("share").asDouble()).isZero();
        assertThat(send("POST", "/shards", "{\"id\": \"extra_meanwhile\", \"location\": \"x\"}").statusCode())
                .as("no other edit while a shard joins").isEqualTo(409);
        assertThat(send("DELETE", "/shards/extra_online", null).statusCode()).isEqualTo(200);
    }

    @Test
    void settingAShardsRingMovesExactlyTheRangeOfItsNewTokenAndIsVersioned() {
        long version = currentVersion();

        var first = send("PUT", "/shards/extra_ring/ring", """
                {"location": "extra_ring", "weight": 100, "state": "ACTIVE", "tokens": ["123456789"], "expectedVersion": %d}"""
                .formatted(version));
        var stale = send("PUT", "/shards/extra_ring/ring", """
                {"location": "extra_ring", "weight": 100, "state": "ACTIVE", "tokens": ["123456789", "987654321"], "expectedVersion": %d}"""
                .formatted(version));
        var badToken = send("PUT", "/shards/extra_ring/ring",
                "{\"location\": \"extra_ring\", \"weight\": 100, \"state\": \"ACTIVE\", \"tokens\": [\"12x\"]}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode plan = json(first).get("plan");
        assertThat(json(first).get("version").asLong()).isEqualTo(version + 1);
        assertThat(plan.get("ranges")).hasSize(1);
        assertThat(plan.get("ranges").get(0).get("toInclusive").asString()).isEqualTo("123456789");
        assertThat(plan.get("ranges").get(0).get("to").asString()).isEqualTo("extra_ring");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(fields(badToken)).singleElement().asString().startsWith("tokens");
        assertThat(currentVersion()).isEqualTo(version + 1);
    }

    @Test
    void conflictsAndUnknownShardsAreProblems() {
        var duplicate = send("POST", "/shards", "{\"id\": \"orders_shard_0\", \"location\": \"x\"}");
        var unknownWeight = send("PUT", "/shards/nowhere/weight", "{\"weight\": 100}");
        var pinUnknown = send("PUT", "/shards/pins/vip-1", "{\"shardId\": \"nowhere\"}");
        send("POST", "/shards", "{\"id\": \"extra_d\", \"location\": \"x\"}");
        send("POST", "/shards/extra_d/drain", "");
        var pinDraining = send("PUT", "/shards/pins/vip-2", "{\"shardId\": \"extra_d\"}");

        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(unknownWeight.statusCode()).isEqualTo(404);
        assertThat(json(unknownWeight).get("shardId").asString()).isEqualTo("nowhere");
        assertThat(pinUnknown.statusCode()).isEqualTo(404);
        assertThat(pinDraining.statusCode()).isEqualTo(409);
    }

    @Test
    void pinnedKeyRoutesToItsShardUntilUnpinned() {
        send("POST", "/shards", "{\"id\": \"extra_hot\", \"location\": \"x\", \"weight\": 1}");

        var pin = send("PUT", "/shards/pins/hot-customer", "{\"shardId\": \"extra_hot\"}");
        JsonNode pinned = json(get("/shards/route?key=hot-customer", null));
        var unpin = send("DELETE", "/shards/pins/hot-customer", null);

        assertThat(pin.statusCode()).isEqualTo(200);
        assertThat(json(pin).get("plan").get("pinChanges").get(0).get("to").asString()).isEqualTo("extra_hot");
        assertThat(pinned.get("shardId").asString()).isEqualTo("extra_hot");
        assertThat(pinned.get("pinned").asBoolean()).isTrue();
        assertThat(unpin.statusCode()).isEqualTo(200);
        assertThat(json(get("/shards/route?key=hot-customer", null)).get("pinned").asBoolean()).isFalse();
    }

    @Test
    void unchangedMapIsA304ForTheCurrentVersion() {
        long version = currentVersion();

        assertThat(get("/shards/map", "\"" + version + "\"").statusCode()).isEqualTo(304);
        assertThat(get("/shards/map", "\"" + (version - 1) + "\"").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentEditsOfOneVersionLetExactlyOneWin() throws Exception {
        long version = currentVersion();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Integer>> edits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String body = "{\"id\": \"race_%d\", \"location\": \"x\", \"expectedVersion\": %d}".formatted(i, version);
            edits.add(() -> send("POST", "/shards", body).statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(edits)) {
            statuses.add(f.get());
        }
        pool.shutdown();

        assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
        assertThat(currentVersion()).isEqualTo(version + 1);
    }

    @Test
    void decodesSnowflakeIdsForHumans() {
        long id = SnowflakeLayout.encode(SnowflakeLayout.EPOCH_MILLIS + 86_400_000L, 513, 7);

        JsonNode decoded = json(get("/ids/" + id, null));
        var bad = get("/ids/not-a-number", null);

        assertThat(decoded.get("id").asString()).isEqualTo(Long.toString(id));
        assertThat(decoded.get("timestamp").asString()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(decoded.get("workerId").asInt()).isEqualTo(513);
        assertThat(decoded.get("sequence").asInt()).isEqualTo(7);
        assertThat(fields(bad)).containsExactly("id");
    }

    private long currentVersion() {
        return json(get("/shards", null)).get("version").asLong();
    }

    private List<String> fields(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return json(response).get("errors").findValuesAsString("field");
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) {
        var request = HttpRequest.newBuilder(uri(path)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return TestHttp.send(request.build());
    }

    private HttpResponse<String> send(String method, String path, String body) {
        var publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return TestHttp.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, publisher).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
