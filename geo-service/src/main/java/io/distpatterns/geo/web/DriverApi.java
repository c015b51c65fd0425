package io.distpatterns.geo.web;

import java.time.Instant;
import java.util.List;

import io.distpatterns.geo.domain.DriverPosition;
import io.distpatterns.geo.domain.NearbyDriver;
import io.swagger.v3.oas.annotations.media.Schema;

/** Request and response bodies of {@link DriverController}. */
final class DriverApi {

    private DriverApi() {
    }

    @Schema(description = "A driver's position report")
    record LocationBody(
            @Schema(description = "Latitude in degrees, -90..90", example = "52.5200") Double lat,
            @Schema(description = "Longitude in degrees, -180..180", example = "13.4050") Double lon,
            @Schema(description = "AVAILABLE, BUSY or OFFLINE", example = "AVAILABLE") String status,
            @Schema(description = "When the device took the position (ISO-8601); older reports than the stored one are ignored",
                    example = "2026-01-01T12:00:00Z") Instant recordedAt) {
    }

    @Schema(description = "One entry of a batch")
    record BatchEntry(
            @Schema(example = "driver-42") String driverId,
            Double lat, Double lon, String status, Instant recordedAt) {
    }

    @Schema(description = "Up to 1,000 position reports, validated all-or-nothing")
    record BatchBody(List<BatchEntry> locations) {
    }

    @Schema(description = "What the index did with the report: APPLIED, OUT_OF_ORDER or EXPIRED")
    record UpdateResponse(String driverId, String outcome) {
    }

    @Schema(description = "How many reports of the batch were applied or ignored")
    record BatchResponse(int applied, int outOfOrder, int expired) {
    }

    record DriverResponse(String driverId, double lat, double lon, String status, Instant recordedAt) {

        static DriverResponse of(DriverPosition p) {
            return new DriverResponse(p.driverId(), p.lat(), p.lon(), p.status().name(), p.recordedAt());
        }
    }

    record NearbyDriverResponse(String driverId, double lat, double lon, String status, Instant recordedAt,
                                @Schema(description = "Exact great-circle distance from the query point") double distanceMeters) {

        static NearbyDriverResponse of(NearbyDriver d) {
            DriverPosition p = d.position();
            return new NearbyDriverResponse(p.driverId(), p.lat(), p.lon(), p.status().name(), p.recordedAt(),
                    d.distanceMeters());
        }
    }

    @Schema(description = "Nearest first")
    record NearbyResponse(List<NearbyDriverResponse> drivers) {
    }
}
