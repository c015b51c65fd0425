package io.distpatterns.order.persistence;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The order shards, bound from {@code orders.shards.*}.
 *
 * @param count          number of shard databases (default 4): {@code <prefix>0} .. {@code <prefix>count-1}
 * @param databasePrefix name of every shard database before its number (default {@code orders_shard_})
 * @param maxPoolSize    connections per shard pool
 */
@Validated
@ConfigurationProperties("orders.shards")
public record OrderShardsProperties(
        @DefaultValue("4") @Min(1) @Max(256) int count,
        @DefaultValue("orders_shard_") @Pattern(regexp = "[a-z_][a-z0-9_]{0,40}") String databasePrefix,
        @DefaultValue("5") @Min(1) @Max(100) int maxPoolSize) {

    /** Logical database name of shard {@code index}. */
    public String database(int index) {
        return databasePrefix + index;
    }
}
