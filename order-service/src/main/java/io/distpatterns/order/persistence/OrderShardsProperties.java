package io.distpatterns.order.persistence;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The order shards, bound from {@code orders.shards.*}.
 *
 * @param count             number of shards of the built-in map {@code orders_shard_0..count-1},
 *                          used only when no shard-router is configured ({@code PLATFORM_SHARDING_ROUTER_URL})
 * @param vnodesPerShard    virtual nodes per shard of that built-in map (same default as shard-router)
 * @param maxPoolSize       connections per shard pool
 * @param connectionTimeout how long to wait for a shard connection before answering 503 (default 2 s)
 * @param outageProbeInterval after a shard failed to connect, how long it is refused at once (503) before
 *                          one request tries it again (default 1 s)
 */
@Validated
@ConfigurationProperties("orders.shards")
public record OrderShardsProperties(
        @DefaultValue("4") @Min(1) @Max(256) int count,
        @DefaultValue("256") @Min(1) @Max(4096) int vnodesPerShard,
        @DefaultValue("8") @Min(1) @Max(100) int maxPoolSize,
        @DefaultValue("2s") @NotNull Duration connectionTimeout,
        @DefaultValue("1s") @NotNull Duration outageProbeInterval) {
}
