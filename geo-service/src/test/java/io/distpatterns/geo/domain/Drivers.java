package io.distpatterns.geo.domain;

import java.time.Instant;
import java.util.List;

/** Fixture data: positions and the naive oracle (sort everything, take the first k). */
final class Drivers {

    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final List<Integer> RESOLUTIONS = List.of(5, 7, 9, 11);

    private Drivers() {
    }

    static DriverPosition available(String id, double lat, double lon, Instant at) {
        return new DriverPosition(id, lat, lon, DriverStatus.AVAILABLE, at);
    }

    static DriverPosition at(String id, double lat, double lon, DriverStatus status, Instant at) {
        return new DriverPosition(id, lat, lon, status, at);
    }

    /** Everything ranked by the exact distance, ties by id: independent of the index and of its heap. */
    static List<String> oracle(List<DriverPosition> all, NearbyQuery q, Instant freshFrom) {
        double radiusChord2 = GreatCircle.chord2OfAngle(GreatCircle.angleOfMeters(q.radiusMeters()));
        double[] v = GreatCircle.unitVector(q.lat(), q.lon());
        record Ranked(String id, double chord2) {
        }
        return all.stream()
                .filter(p -> p.status() == q.status() && !p.recordedAt().isBefore(freshFrom))
                .map(p -> {
                    double[] w = GreatCircle.unitVector(p.lat(), p.lon());
                    return new Ranked(p.driverId(), GreatCircle.chord2(v[0], v[1], v[2], w[0], w[1], w[2]));
                })
                .filter(r -> r.chord2() <= radiusChord2)
                .sorted(java.util.Comparator.comparingDouble(Ranked::chord2).thenComparing(Ranked::id))
                .limit(q.limit())
                .map(Ranked::id)
                .toList();
    }

    static List<String> ids(List<NearbyDriver> hits) {
        return hits.stream().map(h -> h.position().driverId()).toList();
    }
}
