package io.distpatterns.shardrouter;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.Schemas;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedDatabases
class ShardRouterIT extends ServiceContract {

    @Autowired
    DataSource dataSource;

    @Override
    protected String expectedApplicationName() {
        return "shard-router";
    }

    @Test
    void createsAndMigratesItsOwnDatabase() {
        assertThat(Schemas.tables(dataSource)).contains("shards", "shard_tokens", "pinned_keys", "shard_map_version");
        assertThat(Schemas.flywayVersion(dataSource)).isEqualTo("3");
    }
}
