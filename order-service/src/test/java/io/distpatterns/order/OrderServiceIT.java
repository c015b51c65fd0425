package io.distpatterns.order;

import org.junit.jupiter.api.Test;

import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.Schemas;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.kafka.listener.auto-startup=false")
@IsolatedDatabases
class OrderServiceIT extends ServiceContract {

    @Autowired
    ShardDatabases shards;

    @Override
    protected String expectedApplicationName() {
        return "order-service";
    }

    @Test
    void createsAndMigratesEveryShardDatabaseWithTheOutbox() {
        assertThat(shards.opened()).containsOnlyKeys("orders_shard_0", "orders_shard_1", "orders_shard_2", "orders_shard_3");

        for (var shard : shards.opened().values()) {
            assertThat(shard.database()).startsWith(shard.shardId() + "_t");
            assertThat(Schemas.tables(shard.dataSource()))
                    .contains("orders", "order_lines", "idempotency_keys", "outbox_events", "outbox_aggregate_sequences", "unit_fences");
            assertThat(Schemas.flywayVersion(shard.dataSource())).isEqualTo("3");
        }
    }

    @Test
    void readinessIncludesEveryShard() {
        var readiness = get("/actuator/health/readiness");

        assertThat(readiness.body()).contains("\"shards\"").contains("\"count\":4").contains("\"orders_shard_3\":\"UP\"");
    }
}
