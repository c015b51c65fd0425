package io.distpatterns.order.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.distpatterns.order.OrderServiceApplication;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.test.DatabaseScope;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mover's state survives its process: a move interrupted by stopping the service mid-move
 * finishes when the service starts again on the same databases; then a drain of the new shard is
 * aborted mid-way and rolls back the unit in progress. After each, every order is on its owner
 * shard exactly once.
 */
class ReshardResumeIT {

    private static final String ADD = "{\"action\": \"ADD\", \"shardId\": \"orders_shard_4\", \"location\": \"orders_shard_4\"}";

    @Test
    void aMoveStoppedMidwayFinishesAfterARestartAndAnAbortedDrainRollsBack() throws Exception {
        try (DatabaseScope scope = DatabaseScope.open()) {
            ConfigurableApplicationContext first = start(scope);
            ReshardLoad load = new ReshardLoad(port(first), 150);
            load.seed(2);
            var started = load.post("/admin/moves", ADD);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            long moveId = ReshardLoad.JSON.readTree(started.body()).get("id").asLong();
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                JsonNode p = load.get("/admin/moves/" + moveId);
                return p.get("done").asInt() >= 3 && !p.get("inProgress").isEmpty(); // stop in the middle of a unit
            });
            first.close();
            load.close();

            ConfigurableApplicationContext second = start(scope);
            try {
                ReshardLoad again = new ReshardLoad(port(second), 0);
                JsonNode resumed = again.get("/admin/moves/" + moveId);
                assertThat(resumed.get("done").asInt()).isLessThan(resumed.get("units").asInt());
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "COMPLETED".equals(again.get("/admin/moves/" + moveId).get("state").asString()));
                assertEveryOrderOnItsOwnerOnce(second, load.placed);

                var drain = again.post("/admin/moves", "{\"action\": \"DRAIN\", \"shardId\": \"orders_shard_4\"}");
                assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
                long drainId = ReshardLoad.JSON.readTree(drain.body()).get("id").asLong();
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    JsonNode p = again.get("/admin/moves/" + drainId);
                    return p.get("done").asInt() >= 2 && !p.get("inProgress").isEmpty(); // abort in the middle of a unit
                });
                assertThat(again.post("/admin/moves/" + drainId + "/abort", "").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(1)).until(() -> again.get("/admin/moves/" + drainId).get("inProgress").isEmpty());
                JsonNode aborted = again.get("/admin/moves/" + drainId);
                assertThat(aborted.get("state").asString()).isEqualTo("ABORTED");
                assertThat(again.post("/admin/moves/" + drainId + "/resume", "").statusCode()).isEqualTo(409);
                assertEveryOrderOnItsOwnerOnce(second, load.placed);
                for (Shard shard : second.getBean(ShardMapSource.class).current().shards()) {
                    assertThat(second.getBean(ShardDatabases.class).open(shard).jdbc()
                            .queryForObject("SELECT count(*) FROM unit_fences WHERE state = 'FROZEN'", Integer.class))
                            .as("frozen fences left on %s", shard.id()).isZero();
                }
                again.close();
            } finally {
                second.close();
            }
        }
    }

    private static void assertEveryOrderOnItsOwnerOnce(ConfigurableApplicationContext context, Map<Long, String> placed) {
        ShardMap map = context.getBean(ShardMapSource.class).current();
        Map<Long, List<String>> where = new HashMap<>();
        for (Shard shard : map.shards()) {
            context.getBean(ShardDatabases.class).open(shard).jdbc().query("SELECT id FROM orders", rs -> {
                where.computeIfAbsent(rs.getLong(1), id -> new java.util.ArrayList<>()).add(shard.id());
            });
        }
        assertThat(where.keySet()).containsExactlyInAnyOrderElementsOf(placed.keySet());
        placed.forEach((id, customer) -> assertThat(where.get(id)).as("order %d", id).containsExactly(map.route(customer).shardId()));
    }

    private static ConfigurableApplicationContext start(DatabaseScope scope) {
        var server = scope.server();
        return new SpringApplicationBuilder(OrderServiceApplication.class).run(
                // command-line arguments: they win over application.yml (server.port: 8081), default properties do not
                "--server.port=0", "--orders.shards.max-pool-size=2", "--platform.pg.max-pool-size=3",
                "--management.tracing.export.enabled=false", "--spring.kafka.bootstrap-servers=127.0.0.1:1",
                "--spring.kafka.listener.auto-startup=false", "--orders.timeout-sweep-interval=1h",
                "--orders.shards.vnodes-per-shard=32", "--orders.reshard.poll-interval=50ms", "--orders.reshard.unit-pause=50ms",
                "--orders.reshard.phase-pause=100ms",
                "--platform.pg.url=" + server.maintenanceUrl(), "--platform.pg.user=" + server.user(),
                "--platform.pg.password=" + server.password(), "--platform.pg.database-suffix=" + scope.suffix());
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
