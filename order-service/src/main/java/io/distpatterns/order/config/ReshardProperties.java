package io.distpatterns.order.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Online resharding, bound from {@code orders.reshard.*} (README "Resharding").
 *
 * @param moverEnabled     whether this instance runs the mover (one instance at a time does, by a lock)
 * @param pollInterval     how often an idle mover looks for a move to run (default 200 ms)
 * @param writeWait        how long a write refused by a unit fence is retried (map refreshed, backing off)
 *                         before it is answered 503 with Retry-After (default 10 s)
 * @param unitPause        pause between two units, to throttle a move (default none)
 * @param fenceLockTimeout longest wait of the mover for a shard's running writes when it freezes a unit (default 2 s)
 * @param phasePause       pause between the phases of a unit, lengthening its write pause (default none; tests use
 *                         it to stop or abort a move in the middle of a unit)
 */
@Validated
@ConfigurationProperties("orders.reshard")
public record ReshardProperties(
        @DefaultValue("true") boolean moverEnabled,
        @DefaultValue("200ms") @NotNull Duration pollInterval,
        @DefaultValue("10s") @NotNull Duration writeWait,
        @DefaultValue("0ms") @NotNull Duration unitPause,
        @DefaultValue("2s") @NotNull Duration fenceLockTimeout,
        @DefaultValue("0ms") @NotNull Duration phasePause) {
}
