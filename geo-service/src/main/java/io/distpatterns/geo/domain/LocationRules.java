package io.distpatterns.geo.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Turns raw request values into valid {@link DriverPosition}s and {@link NearbyQuery}s, or fails
 * with an {@link InvalidFieldException} naming the first offending field.
 */
public final class LocationRules {

    private static final Pattern DRIVER_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final Clock clock;
    private final Duration maxClockSkew;
    private final double maxRadiusMeters;
    private final int maxLimit;
    private final int maxBatchSize;

    public LocationRules(Clock clock, Duration maxClockSkew, double maxRadiusMeters, int maxLimit, int maxBatchSize) {
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
        this.maxRadiusMeters = maxRadiusMeters;
        this.maxLimit = maxLimit;
        this.maxBatchSize = maxBatchSize;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** A position; {@code prefix} is prepended to field names ({@code "locations[2]."}). */
    public DriverPosition position(String prefix, String driverIdField, String driverId, Double lat, Double lon,
                                   String status, Instant recordedAt) {
        if (driverId == null || !DRIVER_ID.matcher(driverId).matches()) {
            throw new InvalidFieldException(driverIdField, "must be 1 to 64 characters of A-Z a-z 0-9 _ . : -");
        }
        double validLat = coordinate(prefix + "lat", lat, 90);
        double validLon = coordinate(prefix + "lon", lon, 180);
        DriverStatus validStatus = DriverStatus.parse(status, prefix + "status");
        if (recordedAt == null) {
            throw new InvalidFieldException(prefix + "recordedAt", "is required (ISO-8601 instant)");
        }
        Instant latest = clock.instant().plus(maxClockSkew);
        if (recordedAt.isAfter(latest)) {
            throw new InvalidFieldException(prefix + "recordedAt",
                    "is in the future (more than " + maxClockSkew.toSeconds() + " s ahead of the server clock)");
        }
        return new DriverPosition(driverId, validLat, validLon, validStatus, recordedAt);
    }

    public NearbyQuery query(Double lat, Double lon, Double radiusMeters, Integer limit, String status) {
        double validLat = coordinate("lat", lat, 90);
        double validLon = coordinate("lon", lon, 180);
        if (radiusMeters == null || !Double.isFinite(radiusMeters) || radiusMeters <= 0 || radiusMeters > maxRadiusMeters) {
            throw new InvalidFieldException("radiusMeters", "must be a number above 0 and at most " + maxRadiusMeters);
        }
        if (limit == null || limit < 1 || limit > maxLimit) {
            throw new InvalidFieldException("limit", "must be between 1 and " + maxLimit);
        }
        return new NearbyQuery(validLat, validLon, radiusMeters, limit, DriverStatus.parse(status, "status"));
    }

    public void batchSize(String field, int size) {
        if (size < 1 || size > maxBatchSize) {
            throw new InvalidFieldException(field, "must hold between 1 and " + maxBatchSize + " locations, not " + size);
        }
    }

    private static double coordinate(String field, Double value, double bound) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        if (!Double.isFinite(value) || value < -bound || value > bound) {
            throw new InvalidFieldException(field, "must be a finite number in [-" + (int) bound + ", " + (int) bound + "], not " + value);
        }
        return value;
    }
}
