package io.distpatterns.geo.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * geo-service settings, bound from {@code geo.*}.
 *
 * @param ttl                 positions older than this are never returned and get evicted (default 30 s)
 * @param sweepInterval       how often expired positions are evicted from memory (default 5 s)
 * @param writeBehindInterval how often applied updates are written to PostgreSQL; a crash loses at
 *                            most this much (default 1 s)
 * @param maxClockSkew        how far in the future a {@code recordedAt} may be (default 30 s)
 * @param maxRadiusMeters     largest nearby radius (default 50 km)
 * @param maxLimit            largest nearby limit (default 100)
 * @param maxBatchSize        most locations per batch request (default 1,000)
 * @param indexResolutions    H3 resolutions of the index tree, coarsest first (default 5, 7, 9, 11)
 */
@Validated
@ConfigurationProperties("geo")
public record GeoProperties(
        @DefaultValue("30s") @NotNull Duration ttl,
        @DefaultValue("5s") @NotNull Duration sweepInterval,
        @DefaultValue("1s") @NotNull Duration writeBehindInterval,
        @DefaultValue("30s") @NotNull Duration maxClockSkew,
        @DefaultValue("50000") @Positive double maxRadiusMeters,
        @DefaultValue("100") @Min(1) @Max(1000) int maxLimit,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxBatchSize,
        @DefaultValue({"5", "7", "9", "11"}) @NotEmpty List<Integer> indexResolutions) {
}
