package io.distpatterns.order.service;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.order.config.OrdersProperties;
import io.distpatterns.order.domain.Order;
import io.distpatterns.order.domain.OrderEvents;
import io.distpatterns.order.domain.OrderStatus;
import io.distpatterns.order.persistence.OrderRows;
import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.order.persistence.UnitFences;
import io.distpatterns.platform.sharding.ShardKey;
import io.distpatterns.platform.outbox.NewEvent;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Topics;
import io.distpatterns.platform.sharding.Shard;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Cancels PENDING orders older than {@code orders.pending-timeout}: per shard, one transaction locks
 * a batch with {@code FOR UPDATE SKIP LOCKED}, sets each CANCELLED and appends its OrderCancelled
 * (reason {@code timeout}). Safe with several instances: a row locked by another sweeper (or by a
 * saga consumer confirming it) is skipped, and a locked row is re-read as PENDING under the lock,
 * so no order is cancelled twice or cancelled after it was confirmed.
 */
@Component
public class OrderTimeoutSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrderTimeoutSweeper.class);

    private final ShardMapSource maps;
    private final ShardDatabases shards;
    private final OutboxWriter outbox;
    private final OrdersProperties properties;
    private final SagaService saga;

    OrderTimeoutSweeper(ShardMapSource maps, ShardDatabases shards, OutboxWriter outbox, OrdersProperties properties,
                        SagaService saga) {
        this.maps = maps;
        this.shards = shards;
        this.outbox = outbox;
        this.properties = properties;
        this.saga = saga;
    }

    @Scheduled(fixedDelayString = "${orders.timeout-sweep-interval:PT10S}", initialDelayString = "${orders.timeout-sweep-interval:PT10S}")
    void sweep() {
        cancelExpired(Instant.now().minus(properties.pendingTimeout()));
    }

    /** Cancels the PENDING orders created before {@code deadline} on every shard; returns how many. */
    public int cancelExpired(Instant deadline) {
        int total = 0;
        for (Shard shard : maps.current().shards()) {
            try {
                int cancelled;
                do {
                    cancelled = cancelBatch(shard, deadline);
                    total += cancelled;
                } while (cancelled == properties.timeoutSweepBatch());
            } catch (RuntimeException e) {
                log.warn("Cannot sweep timed-out orders on {}: {}", shard.id(), e.getMessage());
            }
        }
        return total;
    }

    private int cancelBatch(Shard shard, Instant deadline) {
        var map = maps.current();
        int n = shards.inTransaction(shard, db -> {
            var fences = UnitFences.gateAndFences(db.jdbc());
            List<Order> expired = OrderRows.lockExpiredPending(db.jdbc(), deadline, properties.timeoutSweepBatch());
            int cancelled = 0;
            for (Order order : expired) {
                // a customer being moved off this shard (or already moved) is left to the shard that owns it
                long hash = ShardKey.hash(order.customerId());
                if (!map.route(order.customerId()).shardId().equals(shard.id())
                        || fences.stream().anyMatch(f -> f.covers(hash) && (f.frozen() || f.epoch() > map.version()))) {
                    continue;
                }
                cancelled++;
                OrderRows.updateStatus(db.jdbc(), order.id(), OrderStatus.CANCELLED);
                outbox.append(db.dataSource(), new NewEvent(Topics.ORDERS_EVENTS, "OrderCancelled", OrderEvents.AGGREGATE_TYPE,
                        Long.toString(order.id()), OrderEvents.SCHEMA_VERSION, Instant.now(),
                        new OrderEvents.OrderCancelled(Long.toString(order.id()), order.customerId(), OrderStatus.PENDING.name(),
                                "timeout")));
            }
            return cancelled;
        });
        for (int i = 0; i < n; i++) {
            saga.timedOut();
        }
        if (n > 0) {
            log.info("Cancelled {} timed-out orders on {}", n, shard.id());
        }
        return n;
    }
}
