package io.distpatterns.geo.domain;

import java.util.Collection;
import java.util.List;

/**
 * The reference answer: reads every position, filters, ranks by the same exact distance and tie
 * order as {@link DriverIndex}. Used as the oracle in tests and as the baseline in the benchmark.
 */
public final class BruteForceNearby {

    private final DriverPosition[] positions;
    private final double[] x;
    private final double[] y;
    private final double[] z;

    public BruteForceNearby(Collection<DriverPosition> positions) {
        this.positions = positions.toArray(DriverPosition[]::new);
        int n = this.positions.length;
        x = new double[n];
        y = new double[n];
        z = new double[n];
        for (int i = 0; i < n; i++) {
            set(i, this.positions[i]);
        }
    }

    public int size() {
        return positions.length;
    }

    public DriverPosition get(int slot) {
        return positions[slot];
    }

    /** Replaces the position in {@code slot} (the benchmark's update path). */
    public void set(int slot, DriverPosition position) {
        double[] v = GreatCircle.unitVector(position.lat(), position.lon());
        positions[slot] = position;
        x[slot] = v[0];
        y[slot] = v[1];
        z[slot] = v[2];
    }

    /** Nearest first, ties by driver id; only positions recorded at or after {@code freshCutoffMillis}. */
    public List<NearbyDriver> nearby(NearbyQuery query, long freshCutoffMillis) {
        double[] q = GreatCircle.unitVector(query.lat(), query.lon());
        double radiusChord2 = GreatCircle.chord2OfAngle(GreatCircle.angleOfMeters(query.radiusMeters()));
        DriverIndex.TopK best = new DriverIndex.TopK(query.limit());
        for (int i = 0; i < positions.length; i++) {
            DriverPosition p = positions[i];
            if (p.status() != query.status() || p.recordedAt().toEpochMilli() < freshCutoffMillis) {
                continue;
            }
            double c2 = GreatCircle.chord2(q[0], q[1], q[2], x[i], y[i], z[i]);
            if (c2 <= radiusChord2) {
                best.offer(c2, p);
            }
        }
        return best.result();
    }
}
