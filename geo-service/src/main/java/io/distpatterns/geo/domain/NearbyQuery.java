package io.distpatterns.geo.domain;

/** The {@code limit} nearest drivers in {@code status} within {@code radiusMeters} of (lat, lon). */
public record NearbyQuery(double lat, double lon, double radiusMeters, int limit, DriverStatus status) {
}
