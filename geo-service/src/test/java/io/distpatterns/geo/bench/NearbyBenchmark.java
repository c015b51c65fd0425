package io.distpatterns.geo.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.distpatterns.geo.GeoServiceApplication;
import io.distpatterns.geo.domain.BruteForceNearby;
import io.distpatterns.geo.domain.DriverIndex;
import io.distpatterns.geo.domain.DriverPosition;
import io.distpatterns.geo.domain.DriverStatus;
import io.distpatterns.geo.domain.GreatCircle;
import io.distpatterns.geo.domain.HexGrid;
import io.distpatterns.geo.domain.NearbyDriver;
import io.distpatterns.geo.domain.NearbyQuery;
import io.distpatterns.platform.postgres.PostgresServer;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoValue;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Nearby search and updates, side by side on the same 1M drivers: this index in-process, Redis
 * GEOADD/GEOSEARCH on 127.0.0.1:6379, brute force; then updates through the HTTP batch endpoint.
 * Not a test: run with {@code geo-service/bench/run-nearby-benchmark.sh}; figures go to
 * {@code geo-service/target/bench/}. Sizes: {@code -Dgeo.bench.drivers}, {@code -Dgeo.bench.queries}.
 *
 * <p>Redis holds only AVAILABLE drivers (one key per status is how GEOSEARCH filters status), and
 * Redis stores positions as 52-bit geohashes: the dataset is first rounded through Redis (GEOPOS)
 * so all three methods rank the very same coordinates. Redis computes on a 6372797.56 m sphere,
 * we on the 6371008.8 m mean radius, so a Redis hit list is compared by ids and order, and the
 * radius border is checked with that ratio.
 */
public final class NearbyBenchmark {

    private static final int DRIVERS = Integer.getInteger("geo.bench.drivers", 1_000_000);
    private static final int QUERIES = Integer.getInteger("geo.bench.queries", 2_000);
    private static final int BRUTE_QUERIES = Integer.getInteger("geo.bench.bruteQueries", 100);
    private static final int UPDATES = Integer.getInteger("geo.bench.updates", 500_000);
    private static final int UPDATE_WARMUP = Integer.getInteger("geo.bench.updateWarmup", 200_000);
    private static final int HTTP_UPDATES = Integer.getInteger("geo.bench.httpUpdates", 200_000);
    private static final String REDIS_URI = System.getProperty("geo.bench.redis", "redis://127.0.0.1:6379");
    private static final double REDIS_EARTH_RADIUS = 6372797.560856;
    private static final double[][] CITIES = {
            // lat, lon, drivers share, spread metres: the first one is the hot spot
            {40.7128, -74.0060, 0.10, 2_000},
            {51.5074, -0.1278, 0.20, 15_000},
            {35.6762, 139.6503, 0.20, 15_000},
            {-23.5505, -46.6333, 0.20, 15_000}};

    private final StringBuilder report = new StringBuilder();
    private final Random random = new Random(42);

    public static void main(String[] args) throws Exception {
        new NearbyBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Instant now = Instant.now();
        line("# geo-service nearby benchmark, " + DateTimeFormatter.ISO_INSTANT.format(now));
        line("");
        line(String.format(Locale.ROOT, "%,d drivers: 10%% within 2 km of one point (hot spot, New York), 3 x 20%% within 15 km "
                + "(London, Tokyo, Sao Paulo), 30%% uniform over the globe (|lat| <= 85.05, Redis's limit); 70%% AVAILABLE, 25%% BUSY, 5%% OFFLINE. "
                + "Queries: limit 10, status AVAILABLE; half near a city centre, half near a background driver. "
                + "JVM: %s, %d cores, max heap %d MB.", DRIVERS, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
        line("");

        List<DriverPosition> drivers = generate(now);
        RedisClient redis = RedisClient.create(REDIS_URI);
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            RedisCommands<String, String> r = connection.sync();
            String key = "geo-bench:available:" + Long.toHexString(random.nextLong());
            try {
                drivers = loadRedis(r, key, drivers);
                compareNearby(r, key, drivers, now);
                compareUpdates(r, key, drivers, now);
            } finally {
                r.del(key);
            }
        } finally {
            redis.shutdown();
        }
        drivers = null;
        System.gc();
        httpBatch(now);
        write();
    }

    // ---- data ----

    private List<DriverPosition> generate(Instant now) {
        List<DriverPosition> drivers = new ArrayList<>(DRIVERS);
        int placed = 0;
        for (double[] city : CITIES) {
            int n = (int) (DRIVERS * city[2]);
            for (int i = 0; i < n; i++) {
                drivers.add(driver(placed++, around(city[0], city[1], city[3]), now));
            }
        }
        while (placed < DRIVERS) {
            // uniform on the sphere up to Redis's latitude limit (+-85.05 degrees)
            double z = (2 * random.nextDouble() - 1) * Math.sin(Math.toRadians(85.05));
            drivers.add(driver(placed++, new double[] {Math.toDegrees(Math.asin(z)), random.nextDouble() * 360 - 180}, now));
        }
        return drivers;
    }

    private DriverPosition driver(int i, double[] p, Instant at) {
        int s = random.nextInt(100);
        DriverStatus status = s < 70 ? DriverStatus.AVAILABLE : s < 95 ? DriverStatus.BUSY : DriverStatus.OFFLINE;
        return new DriverPosition("d" + i, p[0], p[1], status, at);
    }

    private double[] around(double lat, double lon, double meters) {
        double d = Math.sqrt(random.nextDouble()) * meters / GreatCircle.EARTH_RADIUS_METERS;
        double bearing = random.nextDouble() * 2 * Math.PI;
        double lat1 = Math.toRadians(lat);
        double lon1 = Math.toRadians(lon);
        double lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
        double lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
        double lonDeg = ((Math.toDegrees(lon2) + 540) % 360) - 180;
        // Redis accepts latitudes within +-85.05112878 only
        return new double[] {Math.max(-85.05, Math.min(85.05, Math.toDegrees(lat2))), lonDeg};
    }

    /** GEOADDs the AVAILABLE drivers and returns the dataset with Redis's rounded coordinates. */
    private List<DriverPosition> loadRedis(RedisCommands<String, String> r, String key, List<DriverPosition> drivers) {
        long t0 = System.nanoTime();
        List<DriverPosition> rounded = new ArrayList<>(drivers.size());
        for (int from = 0; from < drivers.size(); from += 1000) {
            List<DriverPosition> chunk = drivers.subList(from, Math.min(drivers.size(), from + 1000));
            List<GeoValue<String>> values = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (DriverPosition p : chunk) {
                if (p.status() == DriverStatus.AVAILABLE) {
                    values.add(GeoValue.just(p.lon(), p.lat(), p.driverId()));
                    ids.add(p.driverId());
                }
            }
            if (!values.isEmpty()) {
                r.geoadd(key, values.toArray(GeoValue[]::new));
            }
            List<GeoCoordinates> positions = ids.isEmpty() ? List.of() : r.geopos(key, ids.toArray(String[]::new));
            int k = 0;
            for (DriverPosition p : chunk) {
                if (p.status() == DriverStatus.AVAILABLE) {
                    GeoCoordinates c = positions.get(k++);
                    rounded.add(new DriverPosition(p.driverId(), c.getY().doubleValue(), c.getX().doubleValue(), p.status(), p.recordedAt()));
                } else {
                    rounded.add(p);
                }
            }
        }
        System.out.printf("loaded Redis in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return rounded;
    }

    // ---- nearby ----

    private void compareNearby(RedisCommands<String, String> r, String key, List<DriverPosition> drivers, Instant now) {
        DriverIndex index = new DriverIndex(new HexGrid(List.of(5, 7, 9, 11)), Duration.ofHours(1), Clock.systemUTC());
        long t0 = System.nanoTime();
        drivers.forEach(index::update);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        BruteForceNearby brute = new BruteForceNearby(drivers);
        long freshFrom = now.minus(Duration.ofHours(1)).toEpochMilli();
        line(String.format(Locale.ROOT, "Index built from %,d drivers in %.1f s (%,.0f inserts/s, one thread); %,d H3 cells.",
                drivers.size(), loadSeconds, drivers.size() / loadSeconds, index.cellCount()));
        line("");
        line("## Nearby (limit 10, AVAILABLE)");
        line("");
        line("| radius | method | p50 µs | p99 µs | mean µs | queries | results identical to the index |");
        line("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        List<double[]> points = queryPoints(drivers);
        for (double radius : new double[] {1_000, 5_000}) {
            // warm-up of every method, not recorded
            for (int i = 0; i < 300; i++) {
                double[] p = points.get(i % points.size());
                index.nearby(new NearbyQuery(p[0], p[1], radius, 10, DriverStatus.AVAILABLE));
                redisSearch(r, key, p, radius);
            }
            long[] indexNanos = new long[points.size()];
            long[] redisNanos = new long[points.size()];
            int same = 0;
            int explained = 0;
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                double[] p = points.get(i);
                NearbyQuery q = new NearbyQuery(p[0], p[1], radius, 10, DriverStatus.AVAILABLE);
                long s = System.nanoTime();
                List<NearbyDriver> mine = index.nearby(q);
                indexNanos[i] = System.nanoTime() - s;
                s = System.nanoTime();
                List<GeoWithin<String>> theirs = redisSearch(r, key, p, radius);
                redisNanos[i] = System.nanoTime() - s;
                List<String> mineIds = mine.stream().map(d -> d.position().driverId()).toList();
                List<String> theirIds = theirs.stream().map(GeoWithin::getMember).toList();
                if (mineIds.equals(theirIds)) {
                    same++;
                } else if (explainedByRounding(mine, theirs, radius)) {
                    explained++;
                } else if (differences.size() < 3) {
                    differences.add(String.format(Locale.ROOT, "(%.6f, %.6f) r=%.0f index=%s redis=%s", p[0], p[1], radius, mineIds, theirIds));
                }
            }
            int bruteCount = Math.min(BRUTE_QUERIES, points.size());
            long[] bruteNanos = new long[bruteCount];
            int bruteSame = 0;
            for (int i = 0; i < bruteCount; i++) {
                double[] p = points.get(i);
                NearbyQuery q = new NearbyQuery(p[0], p[1], radius, 10, DriverStatus.AVAILABLE);
                long s = System.nanoTime();
                List<NearbyDriver> expected = brute.nearby(q, freshFrom);
                bruteNanos[i] = System.nanoTime() - s;
                if (expected.equals(index.nearby(q))) {
                    bruteSame++;
                }
            }
            String km = (int) (radius / 1000) + " km";
            row(km, "index (in-process)", indexNanos, "reference");
            row(km, "Redis GEOSEARCH (loopback)", redisNanos, String.format(Locale.ROOT, "%d/%d identical, %d differ only by Redis's radius/ties, %d unexplained",
                    same, points.size(), explained, points.size() - same - explained));
            row(km, "brute force (in-process)", bruteNanos, String.format(Locale.ROOT, "%d/%d identical (ids, order, distances)", bruteSame, bruteCount));
            summary.add(String.format(Locale.ROOT, "%s: index p50 %.1f µs vs Redis %.1f µs (%.1fx), p99 %.1f µs vs %.1f µs (%.1fx)", km,
                    pct(indexNanos, 50), pct(redisNanos, 50), pct(redisNanos, 50) / pct(indexNanos, 50),
                    pct(indexNanos, 99), pct(redisNanos, 99), pct(redisNanos, 99) / pct(indexNanos, 99)));
            differences.forEach(d -> summary.add("unexplained difference: " + d));
        }
        line("");
        this.index = index;
        this.brute = brute;
    }

    private DriverIndex index;
    private BruteForceNearby brute;
    private final List<String> summary = new ArrayList<>();

    private List<GeoWithin<String>> redisSearch(RedisCommands<String, String> r, String key, double[] p, double radius) {
        return r.geosearch(key, GeoSearch.fromCoordinates(p[1], p[0]), GeoSearch.byRadius(radius, GeoArgs.Unit.m),
                GeoArgs.Builder.distance().withCount(10).asc());
    }

    /**
     * A Redis answer that differs from ours only where the two Earth radii or exact distance ties
     * decide: same ids up to the shorter list, extra/missing entries within 0.03% of the radius.
     */
    private static boolean explainedByRounding(List<NearbyDriver> mine, List<GeoWithin<String>> theirs, double radius) {
        int common = Math.min(mine.size(), theirs.size());
        for (int i = 0; i < common; i++) {
            if (!mine.get(i).position().driverId().equals(theirs.get(i).getMember())) {
                double ours = mine.get(i).distanceMeters() * REDIS_EARTH_RADIUS / GreatCircle.EARTH_RADIUS_METERS;
                if (Math.abs(ours - theirs.get(i).getDistance()) > 0.01) {
                    return false;
                }
            }
        }
        for (int i = common; i < mine.size(); i++) {
            if (mine.get(i).distanceMeters() < radius * (1 - 3e-4)) {
                return false;
            }
        }
        for (int i = common; i < theirs.size(); i++) {
            if (theirs.get(i).getDistance() < radius * (1 - 3e-4)) {
                return false;
            }
        }
        return true;
    }

    private List<double[]> queryPoints(List<DriverPosition> drivers) {
        List<double[]> points = new ArrayList<>(QUERIES);
        int background = (int) (DRIVERS * 0.7);
        for (int i = 0; i < QUERIES; i++) {
            if (i % 2 == 0) {
                double[] city = CITIES[i / 2 % CITIES.length];
                points.add(around(city[0], city[1], city[3] / 2));
            } else {
                DriverPosition d = drivers.get(background + random.nextInt(drivers.size() - background));
                points.add(around(d.lat(), d.lon(), 2_000));
            }
        }
        return points;
    }

    // ---- updates ----

    private void compareUpdates(RedisCommands<String, String> r, String key, List<DriverPosition> drivers, Instant now) throws Exception {
        line("## Updates (random walk: each move up to 30 m from the driver's last position)");
        line("");
        // Movement model: a report every few seconds from a driver in city traffic moves it up to
        // 30 m (uniform direction, distance sqrt-uniform over the 30 m disc) from where it last
        // was; drivers are drawn at random, so a driver's moves chain into a random walk. A
        // warm-up of UPDATE_WARMUP such moves goes to all three stores first, not timed.
        int total = UPDATE_WARMUP + UPDATES;
        DriverPosition[] moves = new DriverPosition[total];
        int[] slots = new int[total];
        double[][] current = new double[drivers.size()][];
        for (int i = 0; i < total; i++) {
            int slot = random.nextInt(drivers.size());
            DriverPosition d = drivers.get(slot);
            double[] from = current[slot] != null ? current[slot] : new double[] {d.lat(), d.lon()};
            double[] p = around(from[0], from[1], 30);
            current[slot] = p;
            slots[i] = slot;
            moves[i] = new DriverPosition(d.driverId(), p[0], p[1], d.status(), now.plusMillis(1 + i));
        }
        current = null;
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        runUpdates(pool, threads, moves, 0, UPDATE_WARMUP);
        long stickyBefore = index.stickyUpdates();
        long t0 = System.nanoTime();
        runUpdates(pool, threads, moves, UPDATE_WARMUP, total);
        double indexRate = UPDATES / ((System.nanoTime() - t0) / 1e9);
        double stickyShare = (index.stickyUpdates() - stickyBefore) / (double) UPDATES;
        pool.shutdown();

        List<GeoValue<String>> batch = new ArrayList<>(1000);
        t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
            if (i == UPDATE_WARMUP) {
                t0 = System.nanoTime();
            }
            if (moves[i].status() == DriverStatus.AVAILABLE) {
                batch.add(GeoValue.just(moves[i].lon(), moves[i].lat(), moves[i].driverId()));
            }
            if (batch.size() == 1000 || i == UPDATE_WARMUP - 1 || i == total - 1) {
                if (!batch.isEmpty()) {
                    r.geoadd(key, batch.toArray(GeoValue[]::new));
                }
                batch.clear();
            }
        }
        double redisRate = UPDATES / ((System.nanoTime() - t0) / 1e9);

        for (int i = 0; i < UPDATE_WARMUP; i++) {
            brute.set(slots[i], moves[i]);
        }
        t0 = System.nanoTime();
        for (int i = UPDATE_WARMUP; i < total; i++) {
            brute.set(slots[i], moves[i]);
        }
        double bruteRate = UPDATES / ((System.nanoTime() - t0) / 1e9);

        line("| method | updates/s |");
        line("| --- | ---: |");
        line(String.format(Locale.ROOT, "| index (in-process, %d threads, one update per call) | %,.0f |", threads, indexRate));
        line(String.format(Locale.ROOT, "| Redis GEOADD (1,000 members per command, one connection) | %,.0f |", redisRate));
        line(String.format(Locale.ROOT, "| brute force (array write, one thread) | %,.0f |", bruteRate));
        line("");
        line(String.format(Locale.ROOT, "%,d timed updates after %,d warm-up updates; %.1f%% of the timed ones stayed in their leaf "
                + "(no H3 call, no tree change).", UPDATES, UPDATE_WARMUP, 100 * stickyShare));
        line("");
        summary.add(String.format(Locale.ROOT, "updates: index %,.0f/s, Redis %,.0f/s (%.1fx)", indexRate, redisRate, indexRate / redisRate));
    }

    private void runUpdates(ExecutorService pool, int threads, DriverPosition[] moves, int from, int to) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < to) {
                    index.update(moves[i]);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    // ---- HTTP ----

    private void httpBatch(Instant now) throws Exception {
        String suffix = "_bench";
        String pgUrl = System.getProperty("geo.bench.pgUrl", System.getenv().getOrDefault("PLATFORM_PG_URL", PostgresServer.DEFAULT_URL));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GeoServiceApplication.class)
                .properties("server.port=0", "platform.pg.url=" + pgUrl, "platform.pg.database-suffix=" + suffix,
                        "PLATFORM_TRACING_EXPORT=false", "logging.level.root=WARN")
                // as arguments: default properties lose to application.yml's fixed port (8083)
                .run("--server.port=0")) {
            int port = app.getEnvironment().getProperty("local.server.port", Integer.class);
            int requests = HTTP_UPDATES / 1000;
            List<String> bodies = new ArrayList<>(requests);
            for (int k = 0; k < requests; k++) {
                StringBuilder json = new StringBuilder(100_000).append("{\"locations\":[");
                for (int i = 0; i < 1000; i++) {
                    double[] p = around(CITIES[1][0], CITIES[1][1], 15_000);
                    json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                            "{\"driverId\":\"h%d\",\"lat\":%.6f,\"lon\":%.6f,\"status\":\"AVAILABLE\",\"recordedAt\":\"%s\"}",
                            random.nextInt(200_000), p[0], p[1], now.plusMillis(k)));
                }
                bodies.add(json.append("]}").toString());
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/drivers/locations");
            for (int k = 0; k < 20; k++) {
                post(http, uri, bodies.get(k)); // warm-up
            }
            int clients = 4;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < requests) {
                        post(http, uri, bodies.get(k));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            double rate = requests * 1000 / seconds;
            line("## Updates over HTTP (POST /drivers/locations, 1,000 per request)");
            line("");
            line(String.format(Locale.ROOT, "%,d updates in %d requests from %d concurrent clients on loopback, the service in the "
                    + "same JVM, write-behind to PostgreSQL running: **%,.0f updates/s**.", requests * 1000, requests, clients, rate));
            line("");
            summary.add(String.format(Locale.ROOT, "HTTP batch: %,.0f updates/s", rate));
        } finally {
            new PostgresServer(pgUrl, "postgres", "").dropDatabaseIfExists("geo" + suffix);
        }
    }

    private static void post(HttpClient http, URI uri, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("batch refused: " + response.statusCode() + " " + response.body());
        }
    }

    // ---- output ----

    private void row(String radius, String method, long[] nanos, String check) {
        line(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %d | %s |", radius, method, pct(nanos, 50), pct(nanos, 99),
                Arrays.stream(nanos).average().orElse(0) / 1000, nanos.length, check));
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1000.0;
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }

    private void write() throws IOException {
        line("## Summary");
        line("");
        summary.forEach(s -> line("- " + s));
        Path dir = Path.of(System.getProperty("geo.bench.output", "target/bench"));
        Files.createDirectories(dir);
        Path file = dir.resolve("nearby-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".md");
        Files.writeString(file, report);
        Files.writeString(dir.resolve("nearby-latest.md"), report);
        System.out.println("written to " + file.toAbsolutePath());
    }
}
