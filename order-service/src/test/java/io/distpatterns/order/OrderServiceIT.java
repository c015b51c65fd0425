package io.distpatterns.order;

import org.junit.jupiter.api.Test;

import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.Schemas;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedDatabases
class OrderServiceIT extends ServiceContract {

    @Autowired
    ShardDatabases shards;

    @Override
    protected String expectedApplicationName() {
        return "order-service";
    }

    @Test
    void createsAndMigratesEveryShardDatabase() {
        assertThat(shards.all()).hasSize(4);

        for (var shard : shards.all()) {
            assertThat(shard.database()).startsWith("orders_shard_" + shard.index() + "_t");
            assertThat(Schemas.tables(shard.pool())).contains("orders", "order_lines", "flyway_schema_history");
            assertThat(Schemas.flywayVersion(shard.pool())).isEqualTo("1");
        }
    }

    @Test
    void readinessIncludesEveryShard() {
        var readiness = get("/actuator/health/readiness");

        assertThat(readiness.body()).contains("\"shards\"").contains("\"count\":4");
    }
}
