package io.distpatterns.geo.domain;

/** A search hit: the position and its exact great-circle distance from the query point. */
public record NearbyDriver(DriverPosition position, double distanceMeters) {
}
