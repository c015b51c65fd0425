package io.distpatterns.geo.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.distpatterns.geo.domain.DriverLocations;
import io.distpatterns.geo.domain.DriverPosition;
import io.distpatterns.geo.domain.LocationRules;
import io.distpatterns.geo.domain.UpdateOutcome;
import io.distpatterns.geo.web.DriverApi.BatchBody;
import io.distpatterns.geo.web.DriverApi.BatchEntry;
import io.distpatterns.geo.web.DriverApi.BatchResponse;
import io.distpatterns.geo.web.DriverApi.DriverResponse;
import io.distpatterns.geo.web.DriverApi.LocationBody;
import io.distpatterns.geo.web.DriverApi.NearbyDriverResponse;
import io.distpatterns.geo.web.DriverApi.NearbyResponse;
import io.distpatterns.geo.web.DriverApi.UpdateResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/drivers")
@Tag(name = "drivers", description = "Driver positions and nearby-driver search")
class DriverController {

    private final DriverLocations locations;

    DriverController(DriverLocations locations) {
        this.locations = locations;
    }

    @PutMapping("/{driverId}/location")
    @Operation(summary = "Report one driver's position",
            responses = {@ApiResponse(responseCode = "200", description = "applied or ignored (outcome says which)"),
                    @ApiResponse(responseCode = "400", description = "invalid field (problem+json names it)")})
    UpdateResponse report(@PathVariable String driverId, @RequestBody LocationBody body) {
        DriverPosition position = locations.rules().position("", "driverId", driverId, body.lat(), body.lon(),
                body.status(), body.recordedAt());
        return new UpdateResponse(driverId, locations.report(position).name());
    }

    @PostMapping("/locations")
    @Operation(summary = "Report up to 1,000 positions; one invalid entry rejects the whole batch",
            responses = {@ApiResponse(responseCode = "200", description = "counts per outcome"),
                    @ApiResponse(responseCode = "400", description = "invalid field, e.g. locations[3].lat")})
    BatchResponse reportAll(@RequestBody BatchBody body) {
        LocationRules rules = locations.rules();
        List<BatchEntry> entries = body.locations() == null ? List.of() : body.locations();
        rules.batchSize("locations", entries.size());
        List<DriverPosition> positions = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            BatchEntry e = entries.get(i);
            String prefix = "locations[" + i + "].";
            if (e == null) {
                throw new io.distpatterns.geo.domain.InvalidFieldException("locations[" + i + "]", "must not be null");
            }
            positions.add(rules.position(prefix, prefix + "driverId", e.driverId(), e.lat(), e.lon(), e.status(),
                    e.recordedAt()));
        }
        Map<UpdateOutcome, Integer> counts = locations.reportAll(positions);
        return new BatchResponse(counts.get(UpdateOutcome.APPLIED), counts.get(UpdateOutcome.OUT_OF_ORDER),
                counts.get(UpdateOutcome.EXPIRED));
    }

    @GetMapping("/{driverId}")
    @Operation(summary = "A driver's last known position, if fresher than the TTL",
            responses = {@ApiResponse(responseCode = "200"), @ApiResponse(responseCode = "404", description = "unknown or expired")})
    DriverResponse find(@PathVariable String driverId) {
        return DriverResponse.of(locations.find(driverId));
    }

    @GetMapping("/nearby")
    @Operation(summary = "The nearest fresh drivers in a status within a radius, nearest first, exact distances")
    NearbyResponse nearby(
            @Parameter(description = "latitude, -90..90") @RequestParam Double lat,
            @Parameter(description = "longitude, -180..180") @RequestParam Double lon,
            @Parameter(description = "radius in metres, up to 50,000") @RequestParam Double radiusMeters,
            @Parameter(description = "1..100") @RequestParam(defaultValue = "10") Integer limit,
            @Parameter(description = "AVAILABLE, BUSY or OFFLINE") @RequestParam(defaultValue = "AVAILABLE") String status) {
        var query = locations.rules().query(lat, lon, radiusMeters, limit, status);
        return new NearbyResponse(locations.nearby(query).stream().map(NearbyDriverResponse::of).toList());
    }
}
