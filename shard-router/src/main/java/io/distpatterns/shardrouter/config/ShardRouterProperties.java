package io.distpatterns.shardrouter.config;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * shard-router's settings, bound from {@code shard-router.*}.
 *
 * @param vnodesPerShard virtual nodes of a standard-weight shard on the ring (default 256)
 * @param initialShards  the map written at first start, when the database holds none; by default
 *                       the order service's four shards {@code orders_shard_0..3}
 */
@Validated
@ConfigurationProperties("shard-router")
public record ShardRouterProperties(
        @DefaultValue("256") @Min(1) @Max(4096) int vnodesPerShard,
        @DefaultValue({"orders_shard_0", "orders_shard_1", "orders_shard_2", "orders_shard_3"})
        List<@NotBlank String> initialShards) {
}
