package io.distpatterns.order.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.platform.sharding.Shard;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Opens (creates, migrates) every shard of the map at start, before the service reports ready. A
 * shard that fails is logged and retried on first use; the service starts anyway and serves the
 * customers of the other shards.
 */
@Component
class ShardWarmup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ShardWarmup.class);

    private final ShardMapSource maps;
    private final ShardDatabases databases;

    ShardWarmup(ShardMapSource maps, ShardDatabases databases) {
        this.maps = maps;
        this.databases = databases;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            for (Shard shard : maps.current().shards()) {
                try {
                    databases.open(shard);
                } catch (RuntimeException e) {
                    log.warn("Shard {} is not available at start: {}", shard.id(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            log.warn("No shard map at start ({}); shards open on first use", e.getMessage());
        }
    }
}
