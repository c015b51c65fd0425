package io.distpatterns.order.persistence;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired Idempotency-Keys on every open shard, in batches, so the table stays bounded.
 * (An expired key still present is also treated as absent when it is reused.)
 */
@Component
class IdempotencyKeySweeper {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeySweeper.class);
    private static final int BATCH = 5_000;

    private final ShardDatabases shards;

    IdempotencyKeySweeper(ShardDatabases shards) {
        this.shards = shards;
    }

    @Scheduled(fixedDelayString = "${orders.idempotency-sweep-interval:PT10M}", initialDelayString = "PT1M")
    void sweep() {
        for (var shard : shards.opened().values()) {
            try {
                int deleted;
                do {
                    deleted = IdempotencyKeys.deleteExpired(shard.jdbc(), Instant.now(), BATCH);
                    if (deleted > 0) {
                        log.info("Deleted {} expired idempotency keys on {}", deleted, shard.shardId());
                    }
                } while (deleted == BATCH);
            } catch (RuntimeException e) {
                log.warn("Cannot sweep idempotency keys on {}: {}", shard.shardId(), e.getMessage());
            }
        }
    }
}
