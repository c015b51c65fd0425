package io.distpatterns.shardrouter.persistence;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.shardrouter.config.ShardRouterProperties;
import io.distpatterns.shardrouter.domain.ShardMapRules;
import io.distpatterns.shardrouter.domain.StaleMapVersionException;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Writes the configured initial shards as version 1 when the database holds no map yet. Runs under
 * the version lock, so two instances starting together write it once.
 */
@Component
class InitialShardMap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(InitialShardMap.class);

    private final ShardMapStore store;
    private final ShardRouterProperties properties;

    InitialShardMap(ShardMapStore store, ShardRouterProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (store.current().version() > 0) {
            return;
        }
        ShardMapStore.Change change;
        try {
            change = store.change(0L, empty -> {
            List<Shard> shards = new ArrayList<>();
            for (String id : properties.initialShards()) {
                shards.add(new Shard(id, id, Shard.STANDARD_WEIGHT, ShardState.ACTIVE));
            }
            return ShardMapRules.initial(1, empty.vnodesPerShard(), shards);
            });
        } catch (StaleMapVersionException e) {
            return; // another instance wrote it first
        }
        log.info("Initial shard map written as version {}: {}", change.after().version(), properties.initialShards());
    }
}
