package io.distpatterns.order.persistence;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.distpatterns.platform.sharding.Shard;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness of the shards: UP when the shard map is known and every shard in it answers; DOWN
 * naming the shards that do not (the service still serves the customers of the others).
 */
@Component("shards")
class ShardsHealthIndicator extends AbstractHealthIndicator {

    private final ShardMapSource maps;
    private final ShardDatabases databases;

    ShardsHealthIndicator(ShardMapSource maps, ShardDatabases databases) {
        this.maps = maps;
        this.databases = databases;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        var map = maps.current();
        Map<String, String> states = new LinkedHashMap<>();
        boolean allUp = true;
        for (Shard shard : map.shards()) {
            String state;
            try (Connection c = databases.open(shard).dataSource().getConnection()) {
                state = c.isValid(2) ? "UP" : "DOWN";
            } catch (Exception e) {
                state = "DOWN: " + e.getMessage();
            }
            states.put(shard.id(), state);
            allUp &= "UP".equals(state);
        }
        (allUp ? builder.up() : builder.down())
                .withDetail("mapVersion", map.version()).withDetail("source", maps.toString())
                .withDetail("count", map.shards().size()).withDetails(states);
    }
}
