package io.distpatterns.geo.domain;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.distpatterns.geo.domain.Drivers.T0;
import static io.distpatterns.geo.domain.Drivers.available;
import static io.distpatterns.geo.domain.Drivers.at;
import static io.distpatterns.geo.domain.Drivers.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriverIndexTest {

    private final MutableClock clock = new MutableClock(T0);
    private final DriverIndex index = new DriverIndex(new HexGrid(Drivers.RESOLUTIONS), Duration.ofSeconds(30), clock);

    @Test
    void returnsNearestFirstWithExactGreatCircleDistances() {
        index.update(available("far", 52.5300, 13.4050, T0));
        index.update(available("near", 52.5210, 13.4050, T0));
        index.update(available("mid", 52.5250, 13.4050, T0));

        List<NearbyDriver> hits = index.nearby(new NearbyQuery(52.5200, 13.4050, 5_000, 10, DriverStatus.AVAILABLE));

        assertThat(ids(hits)).containsExactly("near", "mid", "far");
        // 0.001 degree of latitude is 111.195 m on the mean-radius sphere
        assertThat(hits.get(0).distanceMeters()).isCloseTo(111.195, within(0.01));
        assertThat(hits.get(2).distanceMeters()).isCloseTo(1111.95, within(0.05));
    }

    @Test
    void excludesDriversBeyondTheRadius() {
        index.update(available("inside", 0.0, 0.0089, T0));   // ~990 m
        index.update(available("outside", 0.0, 0.0091, T0));  // ~1012 m

        assertThat(ids(index.nearby(new NearbyQuery(0, 0, 1_000, 10, DriverStatus.AVAILABLE)))).containsExactly("inside");
    }

    @Test
    void ignoresAnUpdateRecordedBeforeTheStoredOne() {
        index.update(available("d1", 10.0, 10.0, T0.plusSeconds(5)));

        UpdateOutcome outcome = index.update(available("d1", 20.0, 20.0, T0.plusSeconds(4)));

        assertThat(outcome).isEqualTo(UpdateOutcome.OUT_OF_ORDER);
        assertThat(index.find("d1")).get().extracting(DriverPosition::lat).isEqualTo(10.0);
        assertThat(index.nearby(new NearbyQuery(20.0, 20.0, 1_000, 10, DriverStatus.AVAILABLE))).isEmpty();
    }

    @Test
    void neverReturnsPositionsOlderThanTheTtlAndTheSweeperEvictsThem() {
        index.update(available("old", 1.0, 1.0, T0));
        index.update(available("new", 1.0, 1.0001, T0.plusSeconds(20)));

        clock.advance(Duration.ofSeconds(31));

        assertThat(ids(index.nearby(new NearbyQuery(1.0, 1.0, 1_000, 10, DriverStatus.AVAILABLE)))).containsExactly("new");
        assertThat(index.find("old")).isEmpty();
        assertThat(index.evictExpired()).isEqualTo(1);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void ignoresAnUpdateAlreadyOlderThanTheTtl() {
        assertThat(index.update(available("late", 1.0, 1.0, T0.minusSeconds(31)))).isEqualTo(UpdateOutcome.EXPIRED);
        assertThat(index.size()).isZero();
    }

    @Test
    void evictionFreesTheCellsOfTheEvictedDrivers() {
        index.update(available("a", 1.0, 1.0, T0));
        index.update(available("b", -40.0, 100.0, T0));
        assertThat(index.cellCount()).isEqualTo(8);

        clock.advance(Duration.ofSeconds(31));
        index.evictExpired();

        assertThat(index.cellCount()).isZero();
        assertThat(index.size()).isZero();
    }

    @Test
    void filtersStatusBeforeApplyingTheLimit() {
        for (int i = 0; i < 20; i++) {
            index.update(at("busy-" + i, 48.8566 + i * 1e-5, 2.3522, DriverStatus.BUSY, T0));
        }
        index.update(available("free", 48.8700, 2.3522, T0));

        List<NearbyDriver> hits = index.nearby(new NearbyQuery(48.8566, 2.3522, 5_000, 5, DriverStatus.AVAILABLE));

        assertThat(ids(hits)).containsExactly("free");
    }

    @Test
    void aMovedDriverIsFoundOnlyAtItsNewPosition() {
        index.update(available("d", 40.0, -74.0, T0));

        index.update(available("d", 41.0, -74.0, T0.plusSeconds(1)));

        assertThat(index.nearby(new NearbyQuery(40.0, -74.0, 10_000, 10, DriverStatus.AVAILABLE))).isEmpty();
        assertThat(ids(index.nearby(new NearbyQuery(41.0, -74.0, 10_000, 10, DriverStatus.AVAILABLE)))).containsExactly("d");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.cellCount()).isEqualTo(4);
    }

    @Test
    void aStatusChangeMovesTheDriverBetweenFilters() {
        index.update(available("d", 40.0, -74.0, T0));

        index.update(at("d", 40.0, -74.0, DriverStatus.BUSY, T0.plusSeconds(1)));

        assertThat(index.nearby(new NearbyQuery(40.0, -74.0, 100, 10, DriverStatus.AVAILABLE))).isEmpty();
        assertThat(ids(index.nearby(new NearbyQuery(40.0, -74.0, 100, 10, DriverStatus.BUSY)))).containsExactly("d");
    }

    @Test
    void findsDriversAcrossTheAntimeridian() {
        index.update(available("east", 0.0, 179.9990, T0));   // ~111 m east of the line
        index.update(available("west", 0.0, -179.9995, T0));  // ~56 m west of it

        List<NearbyDriver> hits = index.nearby(new NearbyQuery(0.0, 179.9999, 1_000, 10, DriverStatus.AVAILABLE));

        assertThat(ids(hits)).containsExactly("west", "east");
        assertThat(hits.get(0).distanceMeters()).isCloseTo(66.7, within(0.1));
    }

    @Test
    void findsDriversAcrossTheNorthPole() {
        index.update(available("other-side", 89.9995, 180.0, T0));
        index.update(available("same-side", 89.9980, 0.0, T0));

        List<NearbyDriver> hits = index.nearby(new NearbyQuery(89.9995, 0.0, 1_000, 10, DriverStatus.AVAILABLE));

        // across the pole: 2 * 0.0005 degrees = 111 m; along the meridian: 0.0015 degrees = 167 m
        assertThat(ids(hits)).containsExactly("other-side", "same-side");
        assertThat(hits.get(0).distanceMeters()).isCloseTo(111.2, within(0.1));
    }
}
