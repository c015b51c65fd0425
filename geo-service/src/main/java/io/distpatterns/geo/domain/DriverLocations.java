package io.distpatterns.geo.domain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The use cases: report positions (one or a batch, all-or-nothing validation), look one up,
 * search nearby. Applied updates go to the index at once and to PostgreSQL through the
 * {@link WriteBehindQueue}. Publishes {@code geo.nearby.query} (timer),
 * {@code geo.location.updates} (counter by outcome), {@code geo.index.drivers},
 * {@code geo.index.cells} and {@code geo.writebehind.pending} (gauges).
 */
public class DriverLocations {

    private final DriverIndex index;
    private final LocationRules rules;
    private final WriteBehindQueue writeBehind;
    private final Timer queryTimer;
    private final Map<UpdateOutcome, Counter> updates = new EnumMap<>(UpdateOutcome.class);

    public DriverLocations(DriverIndex index, LocationRules rules, WriteBehindQueue writeBehind, MeterRegistry registry) {
        this.index = index;
        this.rules = rules;
        this.writeBehind = writeBehind;
        this.queryTimer = Timer.builder("geo.nearby.query")
                .description("Nearby-driver search latency, in-process")
                .publishPercentileHistogram()
                .register(registry);
        for (UpdateOutcome outcome : UpdateOutcome.values()) {
            updates.put(outcome, Counter.builder("geo.location.updates")
                    .description("Position updates received, by what the index did with them")
                    .tag("outcome", outcome.name().toLowerCase())
                    .register(registry));
        }
        Gauge.builder("geo.index.drivers", index, DriverIndex::size)
                .description("Drivers held in the in-memory index").register(registry);
        Gauge.builder("geo.index.cells", index, DriverIndex::cellCount)
                .description("H3 cells (tree nodes) held in the in-memory index").register(registry);
        Gauge.builder("geo.writebehind.pending", writeBehind, WriteBehindQueue::size)
                .description("Positions applied in memory but not yet written to PostgreSQL").register(registry);
    }

    public LocationRules rules() {
        return rules;
    }

    public UpdateOutcome report(DriverPosition position) {
        UpdateOutcome outcome = index.update(position);
        updates.get(outcome).increment();
        if (outcome == UpdateOutcome.APPLIED) {
            writeBehind.offer(position);
        }
        return outcome;
    }

    /** Applies an already validated batch in order; returns the count per outcome. */
    public Map<UpdateOutcome, Integer> reportAll(List<DriverPosition> positions) {
        Map<UpdateOutcome, Integer> counts = new EnumMap<>(UpdateOutcome.class);
        for (UpdateOutcome outcome : UpdateOutcome.values()) {
            counts.put(outcome, 0);
        }
        for (DriverPosition p : positions) {
            counts.merge(report(p), 1, Integer::sum);
        }
        return counts;
    }

    public DriverPosition find(String driverId) {
        return index.find(driverId).orElseThrow(() -> new DriverNotFoundException(driverId));
    }

    public List<NearbyDriver> nearby(NearbyQuery query) {
        return queryTimer.record(() -> new ArrayList<>(index.nearby(query)));
    }
}
