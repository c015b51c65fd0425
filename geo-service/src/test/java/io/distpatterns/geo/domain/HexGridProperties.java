package io.distpatterns.geo.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The facts about H3 the index relies on, checked on random points (poles and antimeridian included by range). */
class HexGridProperties {

    private final HexGrid grid = new HexGrid(Drivers.RESOLUTIONS);

    @Property(tries = 2000)
    void bitParentIsH3Parent(@ForAll @Scale(8) @DoubleRange(min = -90, max = 90) double lat,
                             @ForAll @Scale(8) @DoubleRange(min = -180, max = 180) double lon,
                             @ForAll @IntRange(min = 0, max = 11) int res) {
        long leaf = grid.h3Cell(lat, lon, 11);

        assertThat(HexGrid.parent(leaf, res)).isEqualTo(grid.h3Parent(leaf, res));
    }

    @Property(tries = 5000)
    void everyPointLiesInsideTheCapOfItsTopCell(@ForAll @Scale(8) @DoubleRange(min = -90, max = 90) double lat,
                                                @ForAll @Scale(8) @DoubleRange(min = -180, max = 180) double lon) {
        HexGrid.TopCell top = grid.top(grid.topCellOf(lat, lon));
        double[] p = GreatCircle.unitVector(lat, lon);

        double angle = GreatCircle.angle(GreatCircle.chord2(p[0], p[1], p[2], top.x(), top.y(), top.z()));

        assertThat(angle).isLessThanOrEqualTo(top.capAngle());
    }

    @Property(tries = 1000)
    void neighboursOfATopCellAreItsRingOfSixOrFive(@ForAll @Scale(8) @DoubleRange(min = -90, max = 90) double lat,
                                                    @ForAll @Scale(8) @DoubleRange(min = -180, max = 180) double lon) {
        long[] neighbors = grid.top(grid.topCellOf(lat, lon)).neighbors();

        assertThat(neighbors).hasSizeBetween(5, 6).doesNotContain(grid.topCellOf(lat, lon));
    }

    @Property(tries = 5000)
    void everyPointInsideTheInnerCapOfATopCellLiesInThatCell(@ForAll @Scale(8) @DoubleRange(min = -90, max = 90) double lat,
                                                             @ForAll @Scale(8) @DoubleRange(min = -180, max = 180) double lon,
                                                             @ForAll @DoubleRange(min = 0.9, max = 1.0) double fraction,
                                                             @ForAll @DoubleRange(min = 0, max = 360) double bearing) {
        HexGrid.TopCell top = grid.top(grid.topCellOf(lat, lon));
        double inner = GreatCircle.angle(top.innerChord2());
        double[] centre = latLon(top.x(), top.y(), top.z());
        double[] p = NearbyOracleTest.destination(centre, inner * fraction, Math.toRadians(bearing));
        double[] v = GreatCircle.unitVector(p[0], p[1]);

        assertThat(inner).as("a resolution-5 cell has an inner cap of several km").isGreaterThan(GreatCircle.angleOfMeters(2_000));
        if (top.surelyContains(v[0], v[1], v[2])) {
            assertThat(grid.topCellOf(p[0], p[1])).isEqualTo(top.cell());
        }
    }

    private static double[] latLon(double x, double y, double z) {
        return new double[] {Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, z)))), Math.toDegrees(Math.atan2(y, x))};
    }
}
