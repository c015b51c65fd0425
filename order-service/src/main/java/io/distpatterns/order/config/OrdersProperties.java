package io.distpatterns.order.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The order service's settings, bound from {@code orders.*}.
 *
 * @param idempotencyKeyTtl  how long an Idempotency-Key is remembered (default 24 h)
 * @param adminShardTimeout  how long the admin scatter-gather waits for each shard (default 2 s)
 * @param directoryDatabase  database of the order → customer index (default {@code order_directory})
 * @param pendingTimeout     a PENDING order older than this is cancelled by the timeout sweeper (default 5 min)
 * @param timeoutSweepBatch  most orders one sweep cancels per shard in one transaction (default 500)
 */
@Validated
@ConfigurationProperties("orders")
public record OrdersProperties(
        @DefaultValue("24h") @NotNull Duration idempotencyKeyTtl,
        @DefaultValue("2s") @NotNull Duration adminShardTimeout,
        @DefaultValue("order_directory") @NotNull String directoryDatabase,
        @DefaultValue("5m") @NotNull Duration pendingTimeout,
        @DefaultValue("500") @jakarta.validation.constraints.Min(1) int timeoutSweepBatch) {
}
