package io.distpatterns.geo.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GreatCircleProperties {

    /** Within a few hundred km (the search radius is at most 50 km) both formulas are well conditioned. */
    @Property(tries = 3000)
    void chordDistanceEqualsHaversine(@ForAll @Scale(8) @DoubleRange(min = -90, max = 90) double lat1,
                                      @ForAll @Scale(8) @DoubleRange(min = -180, max = 180) double lon1,
                                      @ForAll @Scale(8) @DoubleRange(min = -2, max = 2) double dLat,
                                      @ForAll @Scale(8) @DoubleRange(min = -2, max = 2) double dLon) {
        double lat2 = Math.max(-90, Math.min(90, lat1 + dLat));
        double lon2 = lon1 + dLon;
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double h = Math.pow(Math.sin((phi2 - phi1) / 2), 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.pow(Math.sin(Math.toRadians(lon2 - lon1) / 2), 2);
        double haversine = 2 * GreatCircle.EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));

        assertThat(GreatCircle.meters(lat1, lon1, lat2, lon2)).isCloseTo(haversine, within(1e-6));
    }

    @Property(tries = 1000)
    void orderingByChordIsOrderingByDistance(@ForAll @Scale(8) @DoubleRange(min = 0, max = 3.0) double a,
                                             @ForAll @Scale(8) @DoubleRange(min = 0, max = 3.0) double b) {
        double ca = GreatCircle.chord2OfAngle(a);
        double cb = GreatCircle.chord2OfAngle(b);

        if (a < b) {
            assertThat(ca).isLessThanOrEqualTo(cb);
        }
        assertThat(GreatCircle.angle(ca)).isCloseTo(a, within(1e-9));
    }
}
