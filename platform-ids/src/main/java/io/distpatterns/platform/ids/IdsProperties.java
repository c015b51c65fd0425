package io.distpatterns.platform.ids;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Snowflake ID generation, bound from {@code platform.ids.*}.
 *
 * @param enabled         lease a worker ID at start and expose an {@link IdGenerator} bean
 * @param database        database of the lease table on the platform's PostgreSQL server; every
 *                        service that issues IDs must use the same one (default {@code snowflake_workers})
 * @param leaseTtl        how long a lease lasts without renewal (default 10 s)
 * @param heartbeat       how often the lease is renewed (default 3 s)
 * @param safetyMargin    the local validity ends this much before the lease's TTL (default 2 s)
 * @param clockTolerance  a backwards clock step up to this is waited out; beyond it, refused (default 5 ms)
 * @param minWorkerId     lowest worker ID this deployment may lease (default 0)
 * @param maxWorkerId     highest worker ID this deployment may lease (default 1023)
 */
@Validated
@ConfigurationProperties("platform.ids")
public record IdsProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("snowflake_workers") @Pattern(regexp = "[a-z_][a-z0-9_]{0,40}") String database,
        @DefaultValue("10s") @NotNull Duration leaseTtl,
        @DefaultValue("3s") @NotNull Duration heartbeat,
        @DefaultValue("2s") @NotNull Duration safetyMargin,
        @DefaultValue("5ms") @NotNull Duration clockTolerance,
        @DefaultValue("0") @Min(0) @Max(1023) int minWorkerId,
        @DefaultValue("1023") @Min(0) @Max(1023) int maxWorkerId) {
}
