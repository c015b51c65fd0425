package io.distpatterns.systemtest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * Customers placing orders at a fixed rate (an open model: a slow platform does not slow the
 * offer), each with an Idempotency-Key that every retry reuses; some requests deliberately sent
 * twice, some orders cancelled shortly after, drivers posting locations and riders searching
 * nearby. A request without a definite answer (no answer, 429, 5xx) is retried with backoff until
 * {@link Profile#retryDeadline()}; nothing is retried on a 4xx that names a fault of the request.
 */
final class LoadDriver {

    record Line(String sku, int quantity) {
    }

    /** One order as the client knows it. */
    static final class Placement {
        final String idempotencyKey = UUID.randomUUID().toString();
        final String customerId;
        final List<Line> lines;
        final long offeredAtMillis = System.currentTimeMillis();
        final AtomicInteger attempts = new AtomicInteger();
        volatile String orderId;
        volatile long acceptedAtMillis;
        volatile String traceId;
        volatile boolean gaveUp;
        volatile String lastFailure;
        volatile boolean cancelRequested;
        volatile String cancelOutcome;

        Placement(String customerId, List<Line> lines) {
            this.customerId = customerId;
            this.lines = lines;
        }
    }

    private final Gateway gateway;
    private final Profile profile;
    private final List<String> skus;
    private final Random random = new Random(42);
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    private final ExecutorService workers = Executors.newFixedThreadPool(48);
    private final Queue<Placement> placements = new ConcurrentLinkedQueue<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong repeatsMatched = new AtomicLong();
    private final Queue<String> repeatMismatches = new ConcurrentLinkedQueue<>();
    private final AtomicLong locationsApplied = new AtomicLong();
    private final AtomicLong nearbyQueries = new AtomicLong();
    private final AtomicLong nearbyFound = new AtomicLong();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private volatile long startedAtMillis;
    private volatile long stoppedAtMillis;

    LoadDriver(Gateway gateway, Profile profile, List<String> skus) {
        this.gateway = gateway;
        this.profile = profile;
        this.skus = skus;
    }

    void start() {
        startedAtMillis = System.currentTimeMillis();
        long orderPeriod = Math.round(1_000_000 / profile.ordersPerSecond());
        ticks.add(clock.scheduleAtFixedRate(() -> submit(this::offerOrder), 0, orderPeriod, TimeUnit.MICROSECONDS));
        long locationPeriod = Math.round(1_000_000 / profile.locationsPerSecond());
        ticks.add(clock.scheduleAtFixedRate(() -> submit(this::postLocation), 0, locationPeriod, TimeUnit.MICROSECONDS));
    }

    /** Stops offering and waits until every request already offered has an answer or was given up. */
    void stopAndDrain() throws InterruptedException {
        ticks.forEach(t -> t.cancel(false));
        stoppedAtMillis = System.currentTimeMillis();
        long deadline = System.currentTimeMillis() + profile.retryDeadline().toMillis() + 60_000;
        while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        clock.shutdownNow();
        workers.shutdownNow();
    }

    List<Placement> placements() {
        return List.copyOf(placements);
    }

    double loadSeconds() {
        return (stoppedAtMillis - startedAtMillis) / 1000.0;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    Map<String, Object> figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requests sent twice on purpose, same order both times", repeatsMatched.get());
        f.put("requests sent twice on purpose, different answer", repeatMismatches.size());
        f.put("driver locations applied", locationsApplied.get());
        f.put("nearby searches", nearbyQueries.get());
        f.put("nearby searches that found the driver just posted", nearbyFound.get());
        return f;
    }

    List<String> repeatMismatches() {
        return List.copyOf(repeatMismatches);
    }

    /** Answers the client did not expect at all (a 4xx for a valid request, a malformed body). */
    List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    private void submit(Runnable task) {
        inFlight.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
        }
    }

    /** Runs {@code task} again after {@code delayMillis}, counted as in flight meanwhile. */
    private void later(long delayMillis, Runnable task) {
        inFlight.incrementAndGet();
        try {
            clock.schedule(() -> {
                submit(task);
                inFlight.decrementAndGet();
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
        }
    }

    private void offerOrder() {
        Placement placement;
        synchronized (random) {
            String customer = "c-" + random.nextInt(profile.customers());
            int lineCount = 1 + random.nextInt(3);
            List<String> chosen = new ArrayList<>(skus);
            java.util.Collections.shuffle(chosen, random);
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < lineCount; i++) {
                lines.add(new Line(chosen.get(i), 1 + random.nextInt(3)));
            }
            placement = new Placement(customer, lines);
        }
        placements.add(placement);
        place(placement);
    }

    private static Map<String, Object> body(Placement p) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Line l : p.lines) {
            lines.add(Map.of("sku", l.sku(), "quantity", l.quantity(), "unitPrice", new BigDecimal("9.99")));
        }
        return Map.of("customerId", p.customerId, "currency", "EUR", "lines", lines);
    }

    private void place(Placement p) {
        int attempt = p.attempts.incrementAndGet();
        Gateway.Response r = gateway.post("/api/orders", "/api/orders", body(p), Map.of("Idempotency-Key", p.idempotencyKey));
        if (r.status() == 201) {
            JsonNode json = r.json();
            p.orderId = json.path("id").asString();
            p.traceId = r.header("X-Trace-Id").orElse(null);
            p.acceptedAtMillis = System.currentTimeMillis();
            double dice = ThreadLocalRandom.current().nextDouble();
            if (dice < profile.repeatFraction()) {
                repeat(p);
            } else if (dice < profile.repeatFraction() + profile.cancelFraction()) {
                p.cancelRequested = true;
                later(ThreadLocalRandom.current().nextLong(3000), () -> cancel(p, 1));
            }
        } else if (r.retryable()) {
            p.lastFailure = r.status() + " " + abbreviate(r.body());
            retryOrGiveUp(p, attempt, () -> place(p));
        } else {
            p.lastFailure = r.status() + " " + abbreviate(r.body());
            p.gaveUp = true;
            unexpected.add("POST /api/orders " + p.lastFailure);
        }
    }

    /** The same request again with the same key: the same order must come back, marked as a replay. */
    private void repeat(Placement p) {
        Gateway.Response r = gateway.post("/api/orders", "/api/orders", body(p), Map.of("Idempotency-Key", p.idempotencyKey));
        if (r.retryable()) {
            later(500, () -> repeat(p));
            return;
        }
        String id = r.status() == 201 ? r.json().path("id").asString() : null;
        if (p.orderId.equals(id) && r.header("Idempotent-Replayed").map("true"::equals).orElse(false)) {
            repeatsMatched.incrementAndGet();
        } else {
            repeatMismatches.add(p.orderId + ": repeat answered " + r.status() + " id " + id
                    + " Idempotent-Replayed " + r.header("Idempotent-Replayed").orElse("-"));
        }
    }

    private void cancel(Placement p, int attempt) {
        Gateway.Response r = gateway.post("/api/orders/{id}/cancel", "/api/orders/" + p.orderId + "/cancel",
                Map.of("reason", "system test"), Map.of());
        if (r.status() == 200 || r.status() == 409) {
            p.cancelOutcome = r.status() == 200 ? "CANCELLED" : "conflict: " + r.json().path("currentStatus").asString();
        } else if (r.retryable() && System.currentTimeMillis() - p.acceptedAtMillis < profile.retryDeadline().toMillis()) {
            later(backoff(attempt), () -> cancel(p, attempt + 1));
        } else {
            p.cancelOutcome = "failed: " + r.status();
            if (!r.retryable()) {
                unexpected.add("POST /api/orders/" + p.orderId + "/cancel " + r.status() + " " + abbreviate(r.body()));
            }
        }
    }

    private void retryOrGiveUp(Placement p, int attempt, Runnable again) {
        if (System.currentTimeMillis() - p.offeredAtMillis >= profile.retryDeadline().toMillis()) {
            p.gaveUp = true;
        } else {
            later(backoff(attempt), again);
        }
    }

    private static long backoff(int attempt) {
        long base = Math.min(5_000, 250L << Math.min(attempt, 5));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private void postLocation() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String driver = "d-" + rnd.nextInt(500);
        double lat = 52.40 + rnd.nextDouble() * 0.2;
        double lon = 13.25 + rnd.nextDouble() * 0.3;
        Gateway.Response r = gateway.put("/api/drivers/{id}/location", "/api/drivers/" + driver + "/location",
                Map.of("lat", lat, "lon", lon, "status", "AVAILABLE", "recordedAt", Instant.now().toString()));
        if (r.status() != 200) {
            if (!r.retryable()) {
                unexpected.add("PUT /api/drivers/" + driver + "/location " + r.status() + " " + abbreviate(r.body()));
            }
            return;
        }
        locationsApplied.incrementAndGet();
        Gateway.Response nearby = gateway.get("/api/drivers/nearby", String.format(java.util.Locale.ROOT,
                "/api/drivers/nearby?lat=%.6f&lon=%.6f&radiusMeters=500&limit=50", lat, lon));
        if (nearby.status() == 200) {
            nearbyQueries.incrementAndGet();
            for (JsonNode d : nearby.json().path("drivers")) {
                if (driver.equals(d.path("driverId").asString())) {
                    nearbyFound.incrementAndGet();
                    break;
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
