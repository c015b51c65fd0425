package io.distpatterns.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The saga under a fixed offered rate (open loop: order i is sent at start + i/rate whatever the
 * answers), against a running platform (`bin/platform up`): order-service, inventory-service, the
 * relay and a standalone Kafka broker. Creates {@code products} products with {@code stock} units
 * each, places {@code rate × seconds} orders of 1–2 units directly at order-service, waits until
 * every order is CONFIRMED or REJECTED (bounded), and reads order-service's
 * {@code saga_duration_seconds} histogram (order placed → confirmed or rejected, measured in the
 * service) for p50/p99. Then checks conservation for every product: initial = available + reserved
 * + committed, none negative. Writes a markdown report. Only 127.0.0.1 targets.
 *
 * <p>Usage: {@code SagaLoad <orderUrl> <inventoryUrl> <rate/s> <seconds> <products> <stock> <report.md>}
 */
public final class SagaLoad {

    private static final Pattern ID = Pattern.compile("\"id\":\"(\\d+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");

    public static void main(String[] args) throws Exception {
        URI orders = URI.create(args[0]);
        URI inventory = URI.create(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int products = Integer.parseInt(args[4]);
        int stock = Integer.parseInt(args[5]);
        Path report = Path.of(args[6]);
        for (URI u : List.of(orders, inventory)) {
            if (!"127.0.0.1".equals(u.getHost())) {
                throw new IllegalArgumentException("only 127.0.0.1 targets: " + u);
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(16)).build();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> skus = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            String sku = "SAGA-" + run + "-" + p;
            var r = send(http, post(inventory.resolve("/products"),
                    "{\"sku\":\"" + sku + "\",\"name\":\"saga bench\",\"initialStock\":" + stock + "}", null));
            if (r.statusCode() != 201) {
                throw new IllegalStateException("cannot create product: " + r.statusCode() + " " + r.body());
            }
            skus.add(sku);
        }
        double before = histogramCount(http, orders);
        if (before > 0) {
            System.out.printf("note: order-service already decided %.0f sagas; its latency histogram includes them%n", before);
        }

        int total = rate * seconds;
        List<String> ids = new CopyOnWriteArrayList<>();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        var task = ticker.scheduleAtFixedRate(() -> {
            long i = sent.getAndIncrement();
            if (i >= total) {
                return;
            }
            String sku = skus.get((int) (i % skus.size()));
            String body = "{\"customerId\":\"saga-" + run + "-" + (i % 997) + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\""
                    + sku + "\",\"quantity\":" + (1 + i % 2) + ",\"unitPrice\":9.99}]}";
            http.sendAsync(post(orders.resolve("/orders"), body, run + "-" + i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        int code = e != null ? -1 : r.statusCode();
                        statuses.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
                        if (r != null && code == 201) {
                            Matcher m = ID.matcher(r.body());
                            if (m.find()) {
                                ids.add(m.group(1));
                            }
                        }
                    });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        while (sent.get() < total && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds * 3L)) {
            Thread.sleep(50);
        }
        task.cancel(false);
        ticker.shutdown();
        double offeredSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (statuses.values().stream().mapToLong(AtomicLong::get).sum() < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        // Wait until every accepted order reached a terminal state (bounded), counting the outcomes.
        Map<String, Integer> outcome = new TreeMap<>();
        long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> pending = new ArrayList<>(ids);
        while (!pending.isEmpty() && System.nanoTime() < settleDeadline) {
            List<String> still = new ArrayList<>();
            for (String id : pending) {
                var r = send(http, HttpRequest.newBuilder(orders.resolve("/orders/" + id)).GET().build());
                Matcher m = STATUS.matcher(r.body());
                String status = m.find() ? m.group(1) : "HTTP" + r.statusCode();
                if (status.equals("PENDING")) {
                    still.add(id);
                } else {
                    outcome.merge(status, 1, Integer::sum);
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                Thread.sleep(200);
            }
        }
        double settledSeconds = (System.nanoTime() - start) / 1e9;
        outcome.put("still PENDING", pending.size());

        String metrics = send(http, HttpRequest.newBuilder(orders.resolve("/actuator/prometheus")).GET().build()).body();
        double p50 = quantile(metrics, 0.50);
        double p99 = quantile(metrics, 0.99);

        StringBuilder conservation = new StringBuilder();
        int violations = 0;
        for (String sku : skus) {
            String p = send(http, HttpRequest.newBuilder(inventory.resolve("/products/" + sku)).GET().build()).body();
            long available = number(p, "available");
            long reserved = number(p, "reserved");
            long committed = number(p, "committed");
            boolean ok = available + reserved + committed == stock && available >= 0 && reserved >= 0 && committed >= 0;
            violations += ok ? 0 : 1;
            conservation.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s |%n",
                    sku, stock, available, reserved, committed, ok ? "ok" : "VIOLATED"));
        }
        int confirmed = outcome.getOrDefault("CONFIRMED", 0);
        int rejected = outcome.getOrDefault("REJECTED", 0);
        String text = String.format(Locale.ROOT, """
                # Saga under a fixed offered rate

                order-service %s, inventory-service %s, outbox-relay and a standalone Kafka broker (`bin/platform up`).
                Offered %d orders/s for %d s (%d orders, open loop, 1-2 units of one of %d products with %d units each).

                | measure | value |
                |---|---|
                | orders accepted (201) / offered | %d / %d |
                | HTTP outcomes | %s |
                | saga outcomes | %s |
                | offered over | %.1f s |
                | all settled after | %.1f s |
                | saga throughput (confirmed + rejected) / settle time | %.1f orders/s |
                | saga latency p50 (placed → confirmed/rejected, service histogram) | %.0f ms |
                | saga latency p99 | %.0f ms |
                | conservation violations | %d of %d products |

                | product | initial | available | reserved | committed | check |
                |---|---|---|---|---|---|
                %s""", orders, inventory, rate, seconds, total, products, stock, ids.size(), total, statuses, outcome,
                offeredSeconds, settledSeconds, (confirmed + rejected) / settledSeconds, p50 * 1000, p99 * 1000,
                violations, skus.size(), conservation);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        System.out.print(text);
        System.exit(violations == 0 && pending.isEmpty() ? 0 : 1);
    }

    private static HttpRequest post(URI uri, String body, String idempotencyKey) {
        var b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b.build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : Long.MIN_VALUE;
    }

    private static double histogramCount(HttpClient http, URI orders) throws Exception {
        String metrics = send(http, HttpRequest.newBuilder(orders.resolve("/actuator/prometheus")).GET().build()).body();
        return buckets(metrics).values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Cumulative bucket counts of saga_duration_seconds, summed over tags, by upper bound. */
    private static TreeMap<Double, Double> buckets(String metrics) {
        TreeMap<Double, Double> b = new TreeMap<>();
        Matcher m = Pattern.compile("saga_duration_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)").matcher(metrics);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            b.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
        return b;
    }

    /**
     * The q-quantile of the service's histogram, interpolated within its bucket. The histogram counts
     * every saga since order-service started: run on a freshly started platform for this run alone.
     */
    private static double quantile(String metrics, double q) {
        TreeMap<Double, Double> b = buckets(metrics);
        if (b.isEmpty() || b.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double target = q * b.lastEntry().getValue();
        double prevLe = 0;
        double prevCount = 0;
        for (var e : b.entrySet()) {
            if (e.getValue() >= target) {
                if (e.getKey().isInfinite()) {
                    return prevLe;
                }
                double span = e.getValue() - prevCount;
                return span <= 0 ? e.getKey() : prevLe + (e.getKey() - prevLe) * (target - prevCount) / span;
            }
            prevLe = e.getKey();
            prevCount = e.getValue();
        }
        return prevLe;
    }
}
