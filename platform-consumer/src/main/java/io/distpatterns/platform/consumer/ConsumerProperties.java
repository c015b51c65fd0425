package io.distpatterns.platform.consumer;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Consumer settings, bound from {@code platform.consumer.*}.
 *
 * @param processedEventsTtl how long a processed event id is remembered (default 7 days; longer than the
 *                           topics' retention, so a redelivery or a replay always finds it)
 * @param retry              backoff of transient failures
 * @param deadLetters        the dead-letter collector and admin API
 */
@Validated
@ConfigurationProperties("platform.consumer")
public record ConsumerProperties(
        @DefaultValue("7d") @NotNull Duration processedEventsTtl,
        @DefaultValue @Valid Retry retry,
        @DefaultValue @Valid DeadLetters deadLetters) {

    /**
     * Exponential backoff with jitter: attempt n waits {@code min(initialInterval * multiplier^(n-1), maxInterval)}
     * plus or minus up to {@code jitter}; after {@code maxAttempts} deliveries the record goes to the DLT.
     */
    public record Retry(
            @DefaultValue("200ms") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("5s") @NotNull Duration maxInterval,
            @DefaultValue("100ms") @NotNull Duration jitter,
            @DefaultValue("5") @Min(1) int maxAttempts) {
    }

    /**
     * @param topics          the DLTs this service collects (those of the topics it consumes)
     * @param replayPerSecond replays allowed per second (token bucket, burst of the same size)
     * @param replayBatchMax  most records one filtered replay may send
     */
    public record DeadLetters(
            @DefaultValue("") List<String> topics,
            @DefaultValue("10") @Min(1) int replayPerSecond,
            @DefaultValue("500") @Min(1) int replayBatchMax) {
    }
}
