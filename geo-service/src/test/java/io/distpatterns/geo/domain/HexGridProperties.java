package io.distpatterns.geo.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The two facts about H3 the index relies on, checked on random points (poles and antimeridian included by range). */
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
}
