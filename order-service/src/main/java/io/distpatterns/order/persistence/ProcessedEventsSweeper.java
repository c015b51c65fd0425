package io.distpatterns.order.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.platform.consumer.ProcessedEvents;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes expired processed-event ids on every open shard, in batches, so the tables stay bounded. */
@Component
class ProcessedEventsSweeper {

    private static final Logger log = LoggerFactory.getLogger(ProcessedEventsSweeper.class);
    private static final int BATCH = 5_000;

    private final ShardDatabases shards;
    private final ProcessedEvents processed;

    ProcessedEventsSweeper(ShardDatabases shards, ProcessedEvents processed) {
        this.shards = shards;
        this.processed = processed;
    }

    @Scheduled(fixedDelayString = "${orders.processed-events-sweep-interval:PT10M}", initialDelayString = "PT1M")
    void sweep() {
        for (var shard : shards.opened().values()) {
            try {
                while (processed.deleteExpired(shard.jdbc(), BATCH) == BATCH) {
                    // next batch
                }
            } catch (RuntimeException e) {
                log.warn("Cannot sweep processed events on {}: {}", shard.shardId(), e.getMessage());
            }
        }
    }
}
