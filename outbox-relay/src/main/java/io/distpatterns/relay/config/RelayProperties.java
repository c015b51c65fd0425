package io.distpatterns.relay.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The relay, bound from {@code relay.*}.
 *
 * @param instanceId            this instance's name in the lease table (default: host, pid and a random tag)
 * @param sources               logical databases relayed besides the order shards (default {@code inventory});
 *                              a database without an {@code outbox_events} table is looked at again later
 * @param orderShardCount       order shards {@code orders_shard_0..n-1} relayed when no shard-router is configured
 * @param partitions            hash partitions of aggregate ids; fixed for the life of the relay database
 * @param leaseTtl              how long a partition lease lives without renewal (renewed every third of it)
 * @param batchSize             rows read and sent per poll of one source (a maximum: an idle source's polls
 *                              are small). Larger polls cost less per event: part of a poll's cost grows with
 *                              the table, not the batch (bench/relay.sh reports PostgreSQL CPU per event)
 * @param minPollInterval       pause after a poll that found work but less than a batch
 * @param maxPollInterval       longest pause when idle (the pause doubles from the minimum while idle)
 * @param maxAttempts           failed attempts after which a row Kafka refuses is parked
 * @param maxMessageBytes       largest record sent; a larger row fails without reaching Kafka
 * @param deliveryTimeout       how long Kafka may take to acknowledge a record before the send counts as failed
 * @param kafkaMaxBackoff       longest pause between attempts while Kafka is unavailable (doubling from 500 ms)
 * @param sourceRefreshInterval how often the list of sources is rebuilt (new shards picked up)
 * @param metricsInterval       how often pending/oldest/parked figures are read per source
 * @param cleanupInterval       how often published rows are deleted
 * @param publishedRetention    how long a published row is kept before clean-up
 * @param cleanupBatchSize      rows per delete statement (each its own short transaction)
 */
@Validated
@ConfigurationProperties("relay")
public record RelayProperties(
        String instanceId,
        @DefaultValue("inventory") List<String> sources,
        @DefaultValue("4") @Min(0) @Max(256) int orderShardCount,
        @DefaultValue("16") @Min(1) @Max(1024) int partitions,
        @DefaultValue("10s") @NotNull Duration leaseTtl,
        @DefaultValue("5000") @Min(1) @Max(50000) int batchSize,
        @DefaultValue("5ms") @NotNull Duration minPollInterval,
        @DefaultValue("250ms") @NotNull Duration maxPollInterval,
        @DefaultValue("5") @Min(1) int maxAttempts,
        @DefaultValue("1000000") @Min(1024) int maxMessageBytes,
        @DefaultValue("30s") @NotNull Duration deliveryTimeout,
        @DefaultValue("30s") @NotNull Duration kafkaMaxBackoff,
        @DefaultValue("10s") @NotNull Duration sourceRefreshInterval,
        @DefaultValue("5s") @NotNull Duration metricsInterval,
        @DefaultValue("5s") @NotNull Duration cleanupInterval,
        @DefaultValue("1m") @NotNull Duration publishedRetention,
        @DefaultValue("5000") @Min(1) int cleanupBatchSize) {

    /** Defaults for code that builds a relay without Spring (tests, the benchmark). */
    public static RelayProperties defaults(String instanceId) {
        return new RelayProperties(instanceId, List.of(), 0, 16, Duration.ofSeconds(10), 5000, Duration.ofMillis(5),
                Duration.ofMillis(250), 5, 1_000_000, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(1), 5000);
    }

    public RelayProperties withLeaseTtl(Duration ttl) {
        return new RelayProperties(instanceId, sources, orderShardCount, partitions, ttl, batchSize, minPollInterval,
                maxPollInterval, maxAttempts, maxMessageBytes, deliveryTimeout, kafkaMaxBackoff, sourceRefreshInterval,
                metricsInterval, cleanupInterval, publishedRetention, cleanupBatchSize);
    }

    public RelayProperties withBatchSize(int size) {
        return new RelayProperties(instanceId, sources, orderShardCount, partitions, leaseTtl, size, minPollInterval,
                maxPollInterval, maxAttempts, maxMessageBytes, deliveryTimeout, kafkaMaxBackoff, sourceRefreshInterval,
                metricsInterval, cleanupInterval, publishedRetention, cleanupBatchSize);
    }

    public RelayProperties withCleanup(Duration interval, Duration retention) {
        return new RelayProperties(instanceId, sources, orderShardCount, partitions, leaseTtl, batchSize, minPollInterval,
                maxPollInterval, maxAttempts, maxMessageBytes, deliveryTimeout, kafkaMaxBackoff, sourceRefreshInterval,
                metricsInterval, interval, retention, cleanupBatchSize);
    }

    public RelayProperties withDeliveryTimeout(Duration timeout, Duration maxBackoff) {
        return new RelayProperties(instanceId, sources, orderShardCount, partitions, leaseTtl, batchSize, minPollInterval,
                maxPollInterval, maxAttempts, maxMessageBytes, timeout, maxBackoff, sourceRefreshInterval,
                metricsInterval, cleanupInterval, publishedRetention, cleanupBatchSize);
    }
}
