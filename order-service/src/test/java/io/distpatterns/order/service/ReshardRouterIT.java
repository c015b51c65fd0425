package io.distpatterns.order.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
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
 * Two order-service instances on the same shard databases route with a map they poll from a
 * shard-router (every 1 s, so the one that does not run the mover is often an epoch behind), while
 * a fifth shard is added under load through both: added online (JOINING) in shard-router's map, the
 * mover starts the move by itself. Writes routed with an old epoch are refused by
 * the fence and re-routed; reads of moved orders find them on the new owner. Afterwards every
 * order is once on its owner shard, and no GET of an existing order answered 404.
 */
class ReshardRouterIT {

    @Test
    void instancesWithStaleMapsNeverWriteToTheOldOwnerNorMissAMovedOrder() throws Exception {
        try (DatabaseScope scope = DatabaseScope.open();
             StandInShardRouter router = new StandInShardRouter(ShardMapSource.builtIn(4, 32).current())) {
            ConfigurableApplicationContext mover = start(scope, router, true);
            ConfigurableApplicationContext other = start(scope, router, false);
            try {
                ReshardLoad load = new ReshardLoad(List.of(port(mover), port(other)), 300);
                load.seed(2);
                load.start(4);
                Thread.sleep(500);
                router.addOnline("orders_shard_4"); // as shard-router's POST /shards with "online": true
                await().atMost(Duration.ofSeconds(30)).until(() -> load.get("/admin/moves").size() == 1);
                long moveId = load.get("/admin/moves").get(0).get("id").asLong();
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "COMPLETED".equals(load.get("/admin/moves/" + moveId).get("state").asString()));
                Thread.sleep(1500);
                load.close();
                JsonNode progress = load.get("/admin/moves/" + moveId);

                ShardMap after = router.map();
                assertThat(after.version()).isEqualTo(1 + 1 + 32);
                Map<Long, List<String>> where = new HashMap<>();
                for (Shard shard : after.shards()) {
                    mover.getBean(ShardDatabases.class).open(shard).jdbc().query("SELECT id FROM orders", rs -> {
                        where.computeIfAbsent(rs.getLong(1), id -> new java.util.ArrayList<>()).add(shard.id());
                    });
                }
                assertThat(load.failedWrites.get()).isZero();
                assertThat(where.keySet()).containsExactlyInAnyOrderElementsOf(load.placed.keySet());
                load.placed.forEach((id, customer) ->
                        assertThat(where.get(id)).as("order %d", id).containsExactly(after.route(customer).shardId()));
                assertThat(load.notFound.get()).isZero();
                assertThat(load.readErrors.get()).isZero();

                MeterRegistry meters = other.getBean(MeterRegistry.class);
                String figures = """
                        Online resharding with a polled map: 2 order-service instances, map polled every 1 s (ReshardRouterIT)
                        units                                           %d, all verified and DONE in %.1f s
                        customers moved / orders copied                 %d / %d (%.1f customers/s, %.1f orders/s)
                        longest unit write pause (freeze -> switch)     %d ms
                        orders placed during the test                   %d (reads %d)
                        refusals on the instance without the mover      frozen %.0f, stale epoch %.0f; reads re-routed %.0f
                        503s retried by the client / writes failed      %d / %d
                        GET /orders/{id} 404 for an existing order      %d
                        """.formatted(progress.get("units").asInt(), progress.get("seconds").asDouble(),
                        progress.get("customersMoved").asLong(), progress.get("ordersCopied").asLong(),
                        progress.get("customersPerSecond").asDouble(), progress.get("ordersPerSecond").asDouble(),
                        progress.get("longestPauseMillis").asLong(), load.placed.size(), load.reads.get(),
                        meters.counter("reshard.write.refusals", "reason", "frozen").count(),
                        meters.counter("reshard.write.refusals", "reason", "moved").count(),
                        meters.counter("reshard.read.rerouted").count(), load.retried503.get(), load.failedWrites.get(),
                        load.notFound.get());
                System.out.println(figures);
                Files.createDirectories(Path.of("target"));
                Files.writeString(Path.of("target/reshard-router-figures.txt"), figures);
            } finally {
                other.close();
                mover.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(DatabaseScope scope, StandInShardRouter router, boolean runsMover) {
        var server = scope.server();
        return new SpringApplicationBuilder(OrderServiceApplication.class).run(
                // command-line arguments: they win over application.yml (server.port: 8081), default properties do not
                "--server.port=0", "--orders.shards.max-pool-size=2", "--platform.pg.max-pool-size=3",
                "--management.tracing.export.enabled=false", "--spring.kafka.bootstrap-servers=127.0.0.1:1",
                "--spring.kafka.listener.auto-startup=false", "--orders.timeout-sweep-interval=1h",
                "--platform.sharding.router-url=" + router.url(), "--platform.sharding.poll-interval=1s",
                "--orders.reshard.mover-enabled=" + runsMover, "--orders.reshard.poll-interval=50ms", "--orders.reshard.unit-pause=100ms",
                "--platform.pg.url=" + server.maintenanceUrl(), "--platform.pg.user=" + server.user(),
                "--platform.pg.password=" + server.password(), "--platform.pg.database-suffix=" + scope.suffix());
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
