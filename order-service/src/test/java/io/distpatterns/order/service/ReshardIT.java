package io.distpatterns.order.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.test.IsolatedDatabases;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adds a fifth shard while writers place orders for many customers and a reader fetches orders
 * by id, over real HTTP on real PostgreSQL shard databases. Afterwards: every order exists exactly
 * once, on its owner shard, with its OrderPlaced exactly once in that shard's outbox; inventory's
 * answers (each delivered twice, some of the second copies after the move) and cancels sent during
 * the move had exactly one effect each, and every order's events are numbered 1..n without a gap
 * on its owner shard, with unique event ids across all shards; about a fifth
 * of the customers moved; no GET of an existing order answered 404; every write succeeded (a
 * refused write is retried inside the service, a 503 by the client). Figures go to
 * {@code target/reshard-figures.txt}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.consumer.retry.initial-interval=20ms", "platform.consumer.retry.max-interval=200ms",
        "orders.timeout-sweep-interval=1h",
        "orders.shards.vnodes-per-shard=64", "orders.reshard.poll-interval=50ms", "orders.reshard.unit-pause=30ms",
        "orders.shards.max-pool-size=2", "platform.pg.max-pool-size=3"})
@IsolatedDatabases
@DirtiesContext // its pools grew under load: closed now, not when the next test class needs connections
@EmbeddedKafka(partitions = 3, topics = {"inventory.events", "inventory.events.DLT", "orders.events"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ReshardIT {

    @Value("${local.server.port}")
    int port;
    @Autowired
    ShardMapSource maps;
    @Autowired
    ShardDatabases shards;
    @Autowired
    MeterRegistry meters;
    @Autowired
    KafkaTemplate<String, String> kafka;

    @Test
    void addsAFifthShardUnderLoadWithoutLosingDuplicatingOrHidingAnOrder() throws Exception {
        ReshardLoad load = new ReshardLoad(port, 400);
        load.seed(2);
        ShardMap before = maps.current();
        JsonNode plan = load.get("/admin/moves?limit=1");
        assertThat(plan.size()).isZero();

        JsonNode dryRun = ReshardLoad.JSON.readTree(load.post("/admin/moves?dryRun=true",
                "{\"action\": \"ADD\", \"shardId\": \"orders_shard_4\", \"location\": \"orders_shard_4\"}").body());
        assertThat(dryRun.get("units").asInt()).isEqualTo(64);
        assertThat(dryRun.get("movedFraction").asDouble()).isBetween(0.18, 0.22);
        assertThat(dryRun.get("customersNow").asLong()).isEqualTo(400);

        load.start(4);
        SagaAndCancels saga = new SagaAndCancels(load, kafka);
        saga.start();
        Thread.sleep(500);
        var started = load.post("/admin/moves", "{\"action\": \"ADD\", \"shardId\": \"orders_shard_4\", \"location\": \"orders_shard_4\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long moveId = ReshardLoad.JSON.readTree(started.body()).get("id").asLong();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> "COMPLETED".equals(load.get("/admin/moves/" + moveId).get("state").asString()));
        Thread.sleep(500);
        load.close();
        saga.close(); // sends the late duplicates now, after the move
        JsonNode progress = load.get("/admin/moves/" + moveId);

        ShardMap after = maps.current();
        assertThat(after.shard("orders_shard_4")).isPresent();
        assertThat(after.version()).isEqualTo(before.version() + 64);
        Map<Long, List<String>> where = new HashMap<>();
        Map<String, Integer> placedEvents = new HashMap<>();
        for (Shard shard : after.shards()) {
            var db = shards.open(shard);
            db.jdbc().query("SELECT id FROM orders", rs -> {
                where.computeIfAbsent(rs.getLong(1), id -> new java.util.ArrayList<>()).add(shard.id());
            });
            db.jdbc().query("SELECT aggregate_id FROM outbox_events WHERE event_type = 'OrderPlaced'", rs -> {
                placedEvents.merge(rs.getString(1) + "@" + shard.id(), 1, Integer::sum);
            });
        }
        assertThat(load.failedWrites.get()).isZero();
        assertThat(where.keySet()).containsExactlyInAnyOrderElementsOf(load.placed.keySet());
        int misplaced = 0;
        for (var entry : load.placed.entrySet()) {
            String owner = after.route(entry.getValue()).shardId();
            assertThat(where.get(entry.getKey())).as("order %d", entry.getKey()).containsExactly(owner);
            assertThat(placedEvents.get(entry.getKey() + "@" + owner)).as("OrderPlaced of %d", entry.getKey()).isEqualTo(1);
            misplaced += where.get(entry.getKey()).contains(owner) ? 0 : 1;
        }
        assertThat(placedEvents.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(load.placed.size());
        assertThat(saga.cancelErrors.get()).as("cancels answered other than 200/409 after retries").isZero();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> saga.settled(shards, after));
        Thread.sleep(3000); // the late duplicates are consumed too (they must change nothing)
        saga.assertOneEffectEach(shards, after);
        assertThat(load.notFound.get()).as("404s for existing orders during the move").isZero();
        assertThat(load.readErrors.get()).isZero();

        Set<String> customers = new HashSet<>(load.placed.values());
        long moved = customers.stream().filter(c -> !before.route(c).shardId().equals(after.route(c).shardId())).count();
        double movedFraction = (double) moved / customers.size();
        assertThat(movedFraction).isBetween(0.13, 0.27);
        assertThat(progress.get("done").asInt()).isEqualTo(64);
        assertThat(progress.get("customersMoved").asLong()).isPositive().isLessThanOrEqualTo(moved);
        long slowestMovedWrite = customers.stream().filter(c -> !before.route(c).shardId().equals(after.route(c).shardId()))
                .mapToLong(c -> load.slowestWriteMillis.getOrDefault(c, 0L)).max().orElse(0);
        long slowestOtherWrite = customers.stream().filter(c -> before.route(c).shardId().equals(after.route(c).shardId()))
                .mapToLong(c -> load.slowestWriteMillis.getOrDefault(c, 0L)).max().orElse(0);
        double frozen = meters.counter("reshard.write.refusals", "reason", "frozen").count();
        double stale = meters.counter("reshard.write.refusals", "reason", "moved").count();
        double rerouted = meters.counter("reshard.read.rerouted").count();

        String figures = """
                Online resharding: add orders_shard_4 to 4 shards under load (ReshardIT, in-process, real PostgreSQL)
                units (ring ranges, 64 vnodes per shard)        %d, all verified (counts + MD5 per table) and DONE
                move duration                                   %.1f s (30 ms throttle between units)
                customers moved                                 %d of %d with orders (%.1f%%; ring fraction %.1f%%)
                customers/s moved                               %.1f
                orders copied                                   %d (%.1f orders/s)
                longest unit write pause (freeze -> switch)     %d ms
                slowest successful write, moved customers       %d ms (client-side, includes retries)
                slowest successful write, other customers       %d ms
                orders placed during the test                   %d (reads: %d)
                writes refused by a fence (retried in service)  frozen %.0f, stale epoch %.0f
                503s retried by the client                      %d
                writes failed after retries                     %d
                GET /orders/{id} 404 for an existing order      %d (reads re-routed after a move: %.0f)
                misplaced or duplicated orders                  %d
                inventory answers sent under load (and move)     %d (each twice; %d second copies after the move), cancels %d
                effects: one status change and one event each, versions 1..n per order, event ids unique: yes
                """.formatted(progress.get("units").asInt(), progress.get("seconds").asDouble(), progress.get("customersMoved").asLong(),
                customers.size(), 100.0 * moved / customers.size(), 100 * progress.get("movedFraction").asDouble(),
                progress.get("customersPerSecond").asDouble(), progress.get("ordersCopied").asLong(), progress.get("ordersPerSecond").asDouble(),
                progress.get("longestPauseMillis").asLong(), slowestMovedWrite, slowestOtherWrite, load.placed.size(), load.reads.get(),
                frozen, stale, load.retried503.get(), load.failedWrites.get(), load.notFound.get(), rerouted, misplaced,
                saga.answers.size(), saga.lateDuplicates, saga.cancelled.size());
        System.out.println(figures);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/reshard-figures.txt"), figures);
    }
}
