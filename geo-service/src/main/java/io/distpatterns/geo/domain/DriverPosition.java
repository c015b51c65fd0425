package io.distpatterns.geo.domain;

import java.time.Instant;

/** A driver's reported position; valid by construction (see {@link LocationRules}). */
public record DriverPosition(String driverId, double lat, double lon, DriverStatus status, Instant recordedAt) {
}
