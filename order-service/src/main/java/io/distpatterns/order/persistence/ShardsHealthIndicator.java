package io.distpatterns.order.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** UP when every shard database answers; DOWN naming the shards that do not. Part of readiness. */
@Component("shards")
class ShardsHealthIndicator extends AbstractHealthIndicator {

    private final ShardDatabases shards;

    ShardsHealthIndicator(ShardDatabases shards) {
        this.shards = shards;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> states = new LinkedHashMap<>();
        boolean allUp = true;
        for (ShardDatabases.Shard shard : shards.all()) {
            try (Connection c = shard.dataSource().getConnection()) {
                states.put(shard.database(), c.isValid(2) ? "UP" : "DOWN");
            } catch (SQLException e) {
                states.put(shard.database(), "DOWN: " + e.getMessage());
            }
            allUp &= "UP".equals(states.get(shard.database()));
        }
        (allUp ? builder.up() : builder.down()).withDetail("count", shards.all().size()).withDetails(states);
    }
}
