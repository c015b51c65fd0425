package io.distpatterns.geo.domain;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import com.uber.h3core.H3Core;
import com.uber.h3core.util.LatLng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static io.distpatterns.geo.domain.Drivers.T0;
import static io.distpatterns.geo.domain.Drivers.ids;
import static io.distpatterns.geo.domain.Drivers.oracle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index against brute force: same drivers, same order, same distances, on seeded random data
 * (uniform, clustered, around the antimeridian, around both poles, on H3 cell boundaries), with
 * mixed statuses and some stale positions.
 */
class NearbyOracleTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final DriverStatus[] STATUSES = DriverStatus.values();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void uniformOverTheGlobeMatchesBruteForce(long seed) {
        Random r = new Random(seed);
        checkAgainstOracle(r, 20_000, () -> randomOnSphere(r), 200);
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5, 6})
    void uniformOverACountryMatchesBruteForce(long seed) {
        Random r = new Random(seed);
        checkAgainstOracle(r, 20_000, () -> new double[] {45 + r.nextDouble() * 3, 5 + r.nextDouble() * 3}, 300);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void denseCityCentreMatchesBruteForce(long seed) {
        Random r = new Random(seed);
        double[] centre = {40.7128, -74.0060};
        checkAgainstOracle(r, 20_000, () -> around(r, centre, 2_000), 300);
    }

    @ParameterizedTest
    @ValueSource(longs = {10, 11})
    void acrossTheAntimeridianMatchesBruteForce(long seed) {
        Random r = new Random(seed);
        checkAgainstOracle(r, 10_000, () -> around(r, new double[] {r.nextDouble() * 120 - 60, 180}, 20_000), 300);
    }

    @ParameterizedTest
    @ValueSource(longs = {12, 13})
    void aroundBothPolesMatchesBruteForce(long seed) {
        Random r = new Random(seed);
        checkAgainstOracle(r, 10_000, () -> around(r, new double[] {r.nextBoolean() ? 90 : -90, 0}, 30_000), 300);
    }

    @ParameterizedTest
    @ValueSource(longs = {14, 15})
    void onCellBoundariesMatchesBruteForce(long seed) throws IOException {
        Random r = new Random(seed);
        H3Core h3 = H3Core.newInstance();
        int[] resolutions = {5, 7, 9, 11};
        double[] centre = {51.5074, -0.1278};
        checkAgainstOracle(r, 10_000, () -> {
            double[] p = around(r, centre, 20_000);
            List<LatLng> boundary = h3.cellToBoundary(h3.latLngToCell(p[0], p[1], resolutions[r.nextInt(4)]));
            LatLng v = boundary.get(r.nextInt(boundary.size()));
            return around(r, new double[] {v.lat, v.lng}, 3);
        }, 300);
    }

    /**
     * Drivers that move a few metres per report, the case the index serves without H3 (a driver
     * stays in its leaf while near it): random walks of up to 40 m a step, some status changes,
     * in a dense centre, on cell boundaries, across the antimeridian and around the poles; after
     * every round the index must still equal brute force.
     */
    @ParameterizedTest
    @ValueSource(longs = {16, 17})
    void smallMovesKeepMatchingBruteForce(long seed) throws IOException {
        Random r = new Random(seed);
        H3Core h3 = H3Core.newInstance();
        MutableClock clock = new MutableClock(T0);
        DriverIndex index = new DriverIndex(new HexGrid(Drivers.RESOLUTIONS), TTL, clock);
        List<Supplier<double[]>> places = List.of(
                () -> around(r, new double[] {40.7128, -74.0060}, 1_000),
                () -> {
                    List<LatLng> boundary = h3.cellToBoundary(h3.latLngToCell(51.5 + r.nextDouble(), r.nextDouble(), 5));
                    LatLng v = boundary.get(r.nextInt(boundary.size()));
                    return around(r, new double[] {v.lat, v.lng}, 200);
                },
                () -> around(r, new double[] {r.nextDouble() * 120 - 60, 180}, 2_000),
                () -> around(r, new double[] {r.nextBoolean() ? 90 : -90, 0}, 2_000));
        Map<String, DriverPosition> last = new HashMap<>();
        for (int i = 0; i < 4_000; i++) {
            double[] p = places.get(i % places.size()).get();
            DriverPosition pos = new DriverPosition("d" + i, p[0], p[1], STATUSES[r.nextInt(10) < 7 ? 0 : 1], T0);
            index.update(pos);
            last.put(pos.driverId(), pos);
        }
        for (int round = 1; round <= 15; round++) {
            for (DriverPosition d : new ArrayList<>(last.values())) {
                double[] p = around(r, new double[] {d.lat(), d.lon()}, r.nextInt(4) == 0 ? 40 : 8);
                DriverStatus status = r.nextInt(50) == 0 ? STATUSES[r.nextInt(3)] : d.status();
                DriverPosition moved = new DriverPosition(d.driverId(), p[0], p[1], status, T0.plusMillis(round));
                assertThat(index.update(moved)).isEqualTo(UpdateOutcome.APPLIED);
                last.put(moved.driverId(), moved);
            }
            List<DriverPosition> all = new ArrayList<>(last.values());
            for (int q = 0; q < 40; q++) {
                double[] p = near(r, all.get(r.nextInt(all.size())));
                NearbyQuery query = new NearbyQuery(p[0], p[1], r.nextBoolean() ? 30 + r.nextDouble() * 300 : 1_000 + r.nextDouble() * 5_000,
                        1 + r.nextInt(30), STATUSES[r.nextInt(10) < 8 ? 0 : 1]);
                assertThat(ids(index.nearby(query))).as("round %d, query %s", round, query).isEqualTo(oracle(all, query, T0));
            }
        }
        assertThat(index.stickyUpdates()).as("most small moves stay in their leaf").isGreaterThan(15 * 4_000 / 3);
        clock.advance(TTL.plusSeconds(1));
        index.evictExpired();
        assertThat(index.cellCount()).as("no node leaks after every driver left").isZero();
    }

    /** A driver moved in place (same leaf) while queries run: every answer is one whole reported position. */
    @Test
    void readersNeverSeeAHalfWrittenMove() throws Exception {
        DriverIndex index = new DriverIndex(new HexGrid(Drivers.RESOLUTIONS), TTL, new MutableClock(T0));
        double[][] spots = {{48.85660, 2.35220}, {48.85662, 2.35223}};
        index.update(new DriverPosition("d", spots[0][0], spots[0][1], DriverStatus.AVAILABLE, T0));
        int moves = 200_000;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> writer = pool.submit(() -> {
            for (int i = 1; i <= moves; i++) {
                double[] p = spots[i % 2];
                index.update(new DriverPosition("d", p[0], p[1], DriverStatus.AVAILABLE, T0.plusNanos(i)));
            }
        });
        int reads = 0;
        while (!writer.isDone() || reads < 1_000) {
            List<NearbyDriver> hits = index.nearby(new NearbyQuery(48.8566, 2.3522, 100, 1, DriverStatus.AVAILABLE));
            assertThat(hits).hasSize(1);
            DriverPosition p = hits.get(0).position();
            double[] expected = spots[p.recordedAt().getNano() % 2];
            assertThat(new double[] {p.lat(), p.lon()}).as("read %d", reads).containsExactly(expected);
            assertThat(hits.get(0).distanceMeters()).isEqualTo(GreatCircle.meters(48.8566, 2.3522, p.lat(), p.lon()));
            reads++;
        }
        writer.get();
        pool.shutdown();
        assertThat(index.stickyUpdates()).isEqualTo(moves);
    }

    /** Drivers jump anywhere within 3 km (leaf changes) or walk up to 20 m a step (mostly the in-leaf path). */
    @ParameterizedTest
    @ValueSource(ints = {3_000, 20})
    void concurrentUpdatesLeaveAnIndexThatMatchesBruteForce(int stepMeters) throws Exception {
        MutableClock clock = new MutableClock(T0);
        DriverIndex index = new DriverIndex(new HexGrid(Drivers.RESOLUTIONS), TTL, clock);
        double[] centre = {35.6762, 139.6503};
        int threads = 4;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<DriverPosition>>> finals = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            finals.add(pool.submit(() -> {
                Random r = new Random(100 + thread);
                Map<String, DriverPosition> last = new HashMap<>();
                for (int step = 0; step < 20; step++) {
                    for (int i = 0; i < perThread; i++) {
                        DriverPosition previous = last.get("t" + thread + "-" + i);
                        double[] p = stepMeters >= 3_000 || previous == null ? around(r, centre, 3_000)
                                : around(r, new double[] {previous.lat(), previous.lon()}, stepMeters);
                        DriverPosition pos = new DriverPosition("t" + thread + "-" + i, p[0], p[1],
                                STATUSES[r.nextInt(2)], T0.plusMillis(step));
                        index.update(pos);
                        last.put(pos.driverId(), pos);
                        index.nearby(new NearbyQuery(p[0], p[1], 500, 10, DriverStatus.AVAILABLE));
                    }
                }
                return new ArrayList<>(last.values());
            }));
        }
        List<DriverPosition> all = new ArrayList<>();
        for (Future<List<DriverPosition>> f : finals) {
            all.addAll(f.get());
        }
        pool.shutdown();

        Random r = new Random(99);
        for (int i = 0; i < 200; i++) {
            double[] p = around(r, centre, 3_000);
            NearbyQuery q = new NearbyQuery(p[0], p[1], 50 + r.nextDouble() * 3_000, 1 + r.nextInt(50), DriverStatus.AVAILABLE);
            assertThat(ids(index.nearby(q))).as("query %s", q).isEqualTo(oracle(all, q, T0));
        }
        assertThat(index.size()).isEqualTo(threads * perThread);
        clock.advance(TTL.plusSeconds(1));
        index.evictExpired();
        assertThat(index.cellCount()).as("no node leaks after every driver left").isZero();
    }

    private static void checkAgainstOracle(Random r, int drivers, Supplier<double[]> place, int queries) {
        MutableClock clock = new MutableClock(T0.plusSeconds(40));
        DriverIndex index = new DriverIndex(new HexGrid(Drivers.RESOLUTIONS), TTL, clock);
        List<DriverPosition> all = new ArrayList<>(drivers);
        for (int i = 0; i < drivers; i++) {
            double[] p = place.get();
            // a tenth is stale (recorded 31..40 s before "now"), the rest fresh
            Instant at = T0.plusSeconds(r.nextInt(10) == 0 ? r.nextInt(9) : 10 + r.nextInt(30));
            DriverPosition pos = new DriverPosition("d" + i, p[0], p[1], STATUSES[r.nextInt(10) < 7 ? 0 : 1 + r.nextInt(2)], at);
            index.update(pos);
            all.add(pos);
        }
        BruteForceNearby brute = new BruteForceNearby(all);
        Instant freshFrom = clock.instant().minus(TTL);
        for (int i = 0; i < queries; i++) {
            double[] p = r.nextBoolean() ? place.get() : near(r, all.get(r.nextInt(all.size())));
            double radius = switch (r.nextInt(4)) {
                case 0 -> 10 + r.nextDouble() * 200;
                case 1 -> 1_000;
                case 2 -> 5_000;
                default -> 1 + r.nextDouble() * 50_000;
            };
            NearbyQuery q = new NearbyQuery(p[0], p[1], radius, 1 + r.nextInt(100), STATUSES[r.nextInt(10) < 8 ? 0 : 1]);

            List<NearbyDriver> hits = index.nearby(q);

            List<String> expected = oracle(all, q, freshFrom);
            assertThat(ids(hits)).as("query %s", q).isEqualTo(expected);
            assertThat(ids(brute.nearby(q, freshFrom.toEpochMilli()))).as("brute force, query %s", q).isEqualTo(expected);
            for (NearbyDriver hit : hits) {
                DriverPosition d = hit.position();
                assertThat(hit.distanceMeters()).isEqualTo(GreatCircle.meters(q.lat(), q.lon(), d.lat(), d.lon()));
                assertThat(hit.distanceMeters()).isLessThanOrEqualTo(q.radiusMeters());
            }
        }
    }

    private static double[] near(Random r, DriverPosition p) {
        return around(r, new double[] {p.lat(), p.lon()}, 500);
    }

    /** A point within {@code meters} of {@code centre} (uniform direction, uniform distance), wrapped onto the sphere. */
    static double[] around(Random r, double[] centre, double meters) {
        double d = r.nextDouble() * meters / GreatCircle.EARTH_RADIUS_METERS;
        double bearing = r.nextDouble() * 2 * Math.PI;
        return destination(centre, d, bearing);
    }

    /** The point at central angle {@code d} from {@code centre} in direction {@code bearing} (radians). */
    static double[] destination(double[] centre, double d, double bearing) {
        double lat1 = Math.toRadians(centre[0]);
        double lon1 = Math.toRadians(centre[1]);
        double lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
        double lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1),
                Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
        double lon = Math.toDegrees(lon2);
        lon = ((lon + 540) % 360) - 180;
        return new double[] {Math.max(-90, Math.min(90, Math.toDegrees(lat2))), lon};
    }

    private static double[] randomOnSphere(Random r) {
        double z = 2 * r.nextDouble() - 1;
        return new double[] {Math.toDegrees(Math.asin(z)), r.nextDouble() * 360 - 180};
    }
}
