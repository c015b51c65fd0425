package io.distpatterns.systemtest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform as separate processes, started by {@code bin/platform} and driven only
 * through the gateway with API keys, under load while {@link Faults} are injected; then the end
 * state is checked against {@link Invariants} and a markdown report is written to
 * {@code target/system-test/report.md} (profile {@code ci} in the build, {@code long} by hand).
 */
class PlatformSystemIT {

    private static final String KAFKA = "127.0.0.1:9092";
    private static final String ZIPKIN = "http://127.0.0.1:9411";
    private static final String CLIENT_KEY = "system-test-key";
    private static final String ADMIN_KEY = "local-admin-key";
    private static final List<String> TRACED_SERVICES = List.of("gateway-service", "order-service", "outbox-relay", "inventory-service");

    private final Profile profile = Profile.named(System.getProperty("system-test.profile", "ci"));
    private final Path dir = Path.of(System.getProperty("system-test.dir", "target/system-test")).toAbsolutePath();
    private final Path root = Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
    private final Invariants invariants = new Invariants();
    private final Report report = new Report();
    private final Map<String, Object> figures = new LinkedHashMap<>();

    @Test
    void theInvariantsHoldUnderLoadAndFaults() throws Exception {
        long runStarted = System.currentTimeMillis();
        // The test is a client with its own key and a plan above its offered rate: the gateway's limits are not under test here.
        Map<String, Object> settings = Map.of("gateway", Map.of(
                "security", Map.of("api-keys", Map.of("system-test", Map.of("key", CLIENT_KEY, "plan", "system-test", "role", "client"))),
                "rate-limit", Map.of("plans", Map.of("system-test", Map.of("burst", 1000, "rate-per-second", 500)))));
        Platform platform = new Platform(root, dir.resolve("platform"), dir.resolve("platform-commands.log"), settings);
        Timeline timeline = null;
        Faults faults = null;
        Resharding resharding = null;
        LoadDriver load = null;
        Gateway gateway = new Gateway(URI.create("http://127.0.0.1:8080"), CLIENT_KEY, ADMIN_KEY);
        try {
            long upStarted = System.currentTimeMillis();
            platform.upFromScratch();
            figures.put("bin/platform up (build check, start, all ready), s", seconds(upStarted));

            Map<String, Integer> initialStock = createProducts(gateway);
            try (EventLog events = new EventLog(KAFKA); StockSampler sampler = new StockSampler(gateway, initialStock)) {
                load = new LoadDriver(gateway, profile, new ArrayList<>(initialStock.keySet()));
                timeline = new Timeline(System.currentTimeMillis());
                load.start();
                timeline.record("load started", profile.ordersPerSecond() + " orders/s offered, " + profile.locationsPerSecond()
                        + " driver locations/s");
                // The sample trace is read early: Zipkin keeps a bounded number of spans in memory.
                awaitFirstDecisions(load, events);
                checkTrace(load.placements().stream().filter(p -> p.orderId != null).toList());
                timeline.record("sample trace read", String.valueOf(figures.get("sample trace")));
                faults = new Faults(platform, gateway, events, profile, timeline, KAFKA);
                try {
                    faults.run();
                } catch (Exception e) {
                    timeline.record("fault injection failed", e.toString());
                    invariants.check("every fault was injected and recovered from", List.of(e.toString()), "");
                }
                LoadDriver running = load;
                resharding = new Resharding(gateway, profile, timeline, running::placements);
                try {
                    resharding.run();
                } catch (Exception e) {
                    timeline.record("resharding failed", e.toString());
                    invariants.check("the fifth shard was added online", List.of(e.toString()), "");
                }
                long remaining = profile.minLoadSeconds() * 1000L - (System.currentTimeMillis() - load.startedAtMillis());
                if (remaining > 0) {
                    Thread.sleep(remaining);
                }
                load.stopAndDrain();
                timeline.record("load stopped", "every request offered has an answer or was given up");

                List<LoadDriver.Placement> accepted = load.placements().stream().filter(p -> p.orderId != null).toList();
                long settleDeadline = System.currentTimeMillis() + profile.settleBound().toMillis();
                while (System.currentTimeMillis() < settleDeadline
                        && accepted.stream().anyMatch(p -> events.decidedAt(p.orderId) == null)) {
                    Thread.sleep(1000);
                }
                timeline.record("orders settled", accepted.stream().filter(p -> events.decidedAt(p.orderId) != null).count()
                        + " of " + accepted.size() + " accepted orders decided on Kafka");

                List<Invariants.FinalOrder> allOrders = listAllOrders(gateway);
                Map<String, List<Invariants.FinalOrder>> byId = new HashMap<>();
                allOrders.forEach(o -> byId.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(o));
                invariants.ordersSettled(accepted, byId, profile.settleBound().toSeconds() + " s of the load's end");

                List<Invariants.FinalProduct> products = sampler.settled(Duration.ofMinutes(2));
                timeline.record("stock settled", products.size() + " products read");
                invariants.stock(products, allOrders);
                invariants.check("stock conserved in every sample taken during the run (every 5 s)", sampler.violations(),
                        sampler.samples() + " product samples, all conserved");

                Thread.sleep(3000); // the last events reach the observer
                Set<String> acceptedIds = new TreeSet<>();
                accepted.forEach(p -> acceptedIds.add(p.orderId));
                invariants.events(events.snapshot(), allOrders, acceptedIds);

                invariants.check("a request sent twice with one Idempotency-Key returned the same order, marked replayed",
                        load.repeatMismatches(), load.figures().get("requests sent twice on purpose, same order both times") + " repeats matched");
                invariants.check("no unexpected answer (a 4xx for a valid request)", load.unexpectedAnswers(), "none");
                checkDeadLetters(faults);
                resharding.check(invariants);
                describe(load, accepted, events, allOrders, timeline);
            }
        } finally {
            figures.put("whole run, s", seconds(runStarted));
            try {
                platform.down();
            } finally {
                writeReport(timeline, faults, resharding, gateway);
            }
        }
        assertThat(invariants.failures()).as("failed invariants (report: %s)", dir.resolve("report.md")).isEmpty();
    }

    private Map<String, Integer> createProducts(Gateway gateway) throws InterruptedException {
        Map<String, Integer> stock = new LinkedHashMap<>();
        for (int i = 0; i < profile.products(); i++) {
            String sku = String.format(Locale.ROOT, "SYS-%03d", i);
            for (int attempt = 0; ; attempt++) {
                Gateway.Response r = gateway.post("/api/products", "/api/products",
                        Map.of("sku", sku, "name", "System test product " + i, "initialStock", profile.initialStock()), Map.of());
                if (r.status() == 201 || (r.status() == 409 && attempt > 0)) {
                    break; // 409 on a retry: an earlier attempt created it, its answer was lost (a timeout)
                }
                assertThat(r.retryable() && attempt < 30).as("creating %s: %s %s", sku, r.status(), r.body()).isTrue();
                Thread.sleep(1000);
            }
            stock.put(sku, profile.initialStock());
        }
        return stock;
    }

    /** Every order of every customer, through the customer listing (keyset pages of 100). */
    private List<Invariants.FinalOrder> listAllOrders(Gateway gateway) throws InterruptedException {
        List<Invariants.FinalOrder> orders = new ArrayList<>();
        for (int c = 0; c < profile.customers(); c++) {
            String customer = "c-" + c;
            String cursor = null;
            do {
                String path = "/api/customers/" + customer + "/orders?limit=100"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                Gateway.Response r = gateway.get("/api/customers/{id}/orders", path);
                for (int attempt = 0; r.retryable() && attempt < 30; attempt++) {
                    Thread.sleep(1000);
                    r = gateway.get("/api/customers/{id}/orders", path);
                }
                assertThat(r.status()).as("listing %s: %s", customer, r.body()).isEqualTo(200);
                for (JsonNode item : r.json().path("items")) {
                    Map<String, Integer> quantities = new HashMap<>();
                    item.path("lines").forEach(l -> quantities.put(l.path("sku").asString(), l.path("quantity").asInt()));
                    orders.add(new Invariants.FinalOrder(item.path("id").asString(), item.path("customerId").asString(),
                            item.path("status").asString(), quantities));
                }
                cursor = r.json().path("nextCursor").isNull() || r.json().path("nextCursor").isMissingNode()
                        ? null : r.json().path("nextCursor").asString();
            } while (cursor != null);
        }
        return orders;
    }

    private void checkDeadLetters(Faults faults) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        String poison = String.valueOf(faults.outcomes.get("poison in inventory's dead letters"));
        if (!poison.startsWith("yes")) {
            problems.add("the poison record is not in inventory's dead letters");
        }
        Object outage = faults.outcomes.getOrDefault("order-service dead letters from the shard outage", 0);
        Object replayed = faults.outcomes.getOrDefault("orders dead letters replayed", 0);
        // At least once each: a letter that failed again (the service not yet back on the shard) is replayed again.
        if (((Number) replayed).intValue() < ((Number) outage).intValue()) {
            problems.add(outage + " dead letters from the shard outage but " + replayed + " replayed");
        }
        for (String service : List.of("inventory", "orders")) {
            List<JsonNode> left = faults.newDeadLetters(service);
            if (!left.isEmpty()) {
                problems.add(service + " still has " + left.size() + " NEW dead letters, e.g. " + left.get(0));
            }
        }
        invariants.check("the poison is in the DLT (then discarded); the shard outage's dead letters were replayed after the fix; none left",
                problems, "poison: " + poison + "; dead letters from the outage: " + outage + ", replayed: " + replayed);
    }

    /** Waits (up to a minute) until the first 20 accepted orders were decided, so their traces are complete. */
    private static void awaitFirstDecisions(LoadDriver load, EventLog events) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            List<LoadDriver.Placement> first = load.placements().stream().filter(p -> p.orderId != null).limit(20).toList();
            if (first.size() == 20 && first.stream().allMatch(p -> events.decidedAt(p.orderId) != null)) {
                Thread.sleep(2000); // the last spans are reported in batches
                return;
            }
            Thread.sleep(1000);
        }
    }

    /** A decided order's trace, as Zipkin has it: spans from the gateway, order-service, the relay and inventory. */
    private void checkTrace(List<LoadDriver.Placement> accepted) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String best = "no sample order had a trace id";
        Set<String> bestServices = Set.of();
        for (LoadDriver.Placement p : accepted.subList(0, Math.min(20, accepted.size()))) {
            if (p.traceId == null || p.attempts.get() > 1) {
                continue;
            }
            try {
                var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(ZIPKIN + "/api/v2/trace/" + p.traceId))
                                .timeout(Duration.ofSeconds(20)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                Set<String> services = new TreeSet<>();
                JsonNode spans = Json.readOrNull(response.body());
                if (spans != null) {
                    spans.forEach(s -> services.add(s.path("localEndpoint").path("serviceName").asString()));
                }
                if (services.size() > bestServices.size()) {
                    bestServices = services;
                    best = "order " + p.orderId + ", trace " + p.traceId + ": " + spans.size() + " spans from " + services;
                }
                if (services.containsAll(TRACED_SERVICES)) {
                    break;
                }
            } catch (java.io.IOException e) {
                best = "Zipkin did not answer: " + e;
            }
        }
        figures.put("sample trace", best);
        invariants.check("a sample order's trace in Zipkin has spans from " + TRACED_SERVICES,
                bestServices.containsAll(TRACED_SERVICES) ? List.of() : List.of(best), best);
    }

    private void describe(LoadDriver load, List<LoadDriver.Placement> accepted, EventLog events, List<Invariants.FinalOrder> all,
                          Timeline timeline) {
        double seconds = load.loadSeconds();
        List<LoadDriver.Placement> placements = load.placements();
        figures.put("load duration, s", seconds);
        figures.put("orders offered", placements.size());
        figures.put("orders offered/s", placements.size() / seconds);
        figures.put("orders accepted (201)", accepted.size());
        figures.put("orders accepted/s", accepted.size() / seconds);
        figures.put("orders accepted only after retries", accepted.stream().filter(p -> p.attempts.get() > 1).count());
        figures.put("orders the client gave up on", placements.stream().filter(p -> p.gaveUp).count());
        figures.put("orders that exist (all customers' listings)", all.size());
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        all.forEach(o -> byStatus.merge(o.status(), 1L, Long::sum));
        figures.put("final status of the orders", byStatus);
        figures.put("cancels requested", placements.stream().filter(p -> p.cancelRequested).count());
        long[] latencies = latencies(sagas(accepted, events, Long.MAX_VALUE));
        if (latencies.length > 0) {
            figures.put("saga latency p50 (201 → first decision seen on Kafka), ms", percentile(latencies, 0.50));
            figures.put("saga latency p99, ms", percentile(latencies, 0.99));
            figures.put("saga latency max, ms", latencies[latencies.length - 1]);
        }
        // Undisturbed orders: accepted at least 10 s before the first fault. An order accepted just before
        // the relay is killed waits for its restart and lease (~11 s), which is the fault, not the saga.
        long quietEnd = timeline.firstAt("kill -9 outbox-relay").orElse(Long.MAX_VALUE - 10_000) - 10_000;
        List<Saga> undisturbed = sagas(accepted, events, quietEnd);
        if (!undisturbed.isEmpty()) {
            long[] beforeFaults = latencies(undisturbed);
            figures.put("saga latency p50 / p99 of the " + beforeFaults.length
                            + " orders accepted at least 10 s before the first fault, ms",
                    percentile(beforeFaults, 0.50) + " / " + percentile(beforeFaults, 0.99));
            List<Saga> slowest = new ArrayList<>(undisturbed.subList(Math.max(0, undisturbed.size() - 5), undisturbed.size()));
            Collections.reverse(slowest);
            figures.put("slowest 5 of them: accepted at (s since the load started) → saga latency (ms)", slowest.stream()
                    .map(saga -> String.format("%.1f → %d", (saga.acceptedAtMillis() - timeline.originMillis()) / 1000.0,
                            saga.latencyMillis()))
                    .toList());
        }
        figures.put("records observed on orders.events + inventory.events", events.size());
        figures.putAll(load.figures());
    }

    /** An accepted order's saga: when its 201 came, and how long until its first decision reached Kafka. */
    private record Saga(long acceptedAtMillis, long latencyMillis) {
    }

    /** The decided sagas of the orders accepted before {@code acceptedBeforeMillis}, fastest first. */
    private static List<Saga> sagas(List<LoadDriver.Placement> accepted, EventLog events, long acceptedBeforeMillis) {
        List<Saga> sagas = new ArrayList<>();
        for (LoadDriver.Placement p : accepted) {
            Long decided = events.decidedAt(p.orderId);
            if (p.acceptedAtMillis < acceptedBeforeMillis && decided != null) {
                sagas.add(new Saga(p.acceptedAtMillis, Math.max(0, decided - p.acceptedAtMillis)));
            }
        }
        sagas.sort(Comparator.comparingLong(Saga::latencyMillis));
        return sagas;
    }

    private static long[] latencies(List<Saga> sortedSagas) {
        return sortedSagas.stream().mapToLong(Saga::latencyMillis).toArray();
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void writeReport(Timeline timeline, Faults faults, Resharding resharding, Gateway gateway) throws java.io.IOException {
        report.title("System test report: profile " + profile.name())
                .paragraph("Written by `PlatformSystemIT` at " + java.time.Instant.now() + ". The platform ran as separate processes "
                        + "started by `bin/platform` (PostgreSQL, a standalone KRaft Kafka broker, Zipkin, six services) and was "
                        + "driven only through the gateway with an API key. Profile: " + profile + ".")
                .section("Figures").figures(figures);
        List<List<?>> rows = new ArrayList<>();
        gateway.statusCounts().forEach((k, v) -> rows.add(List.of(k, v)));
        report.section("HTTP answers by route and status (0 = no answer)").table(List.of("request", "count"), rows);
        if (timeline != null) {
            List<List<?>> entries = new ArrayList<>();
            timeline.entries().forEach(e -> entries.add(List.of(String.format(Locale.ROOT, "%.1f", e.atSeconds()), e.what(), e.detail())));
            report.section("Fault timeline (seconds since the load started)").table(List.of("t", "what", "detail"), entries);
        }
        if (faults != null) {
            report.section("Fault outcomes").figures(faults.outcomes);
        }
        if (resharding != null) {
            report.section("Online resharding: a fifth order shard added under load").figures(resharding.outcomes);
        }
        List<List<?>> results = new ArrayList<>();
        invariants.results().forEach(r -> results.add(List.of(r.passed() ? "PASS" : "FAIL", r.name(), r.detail())));
        report.section("Invariants").table(List.of("result", "invariant", "detail"), results);
        report.writeTo(dir.resolve("report.md"));
    }

    private static double seconds(long since) {
        return (System.currentTimeMillis() - since) / 1000.0;
    }

    /** Reads every product every 5 s: available + reserved + committed must always be the initial stock. */
    static final class StockSampler implements AutoCloseable {

        private final Gateway gateway;
        private final Map<String, Integer> initial;
        private final Map<String, Integer> lowest = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private volatile long samples;

        StockSampler(Gateway gateway, Map<String, Integer> initial) {
            this.gateway = gateway;
            this.initial = initial;
            initial.forEach(lowest::put);
            timer.scheduleWithFixedDelay(this::sampleAll, 5, 5, TimeUnit.SECONDS);
        }

        private void sampleAll() {
            initial.keySet().forEach(this::sample);
        }

        private Invariants.FinalProduct sample(String sku) {
            Gateway.Response r = gateway.get("/api/products/{sku}", "/api/products/" + sku);
            if (r.status() != 200) {
                return null;
            }
            JsonNode p = r.json();
            int available = p.path("available").asInt();
            int reserved = p.path("reserved").asInt();
            int committed = p.path("committed").asInt();
            samples++;
            lowest.merge(sku, available, Math::min);
            if (available < 0 || reserved < 0 || committed < 0 || available + reserved + committed != initial.get(sku)) {
                violations.add(sku + ": " + available + " + " + reserved + " + " + committed + " != " + initial.get(sku));
            }
            return new Invariants.FinalProduct(sku, initial.get(sku), available, reserved, committed, lowest.get(sku));
        }

        /** The products once nothing is reserved any more (every order decided and applied), or after {@code within}. */
        List<Invariants.FinalProduct> settled(Duration within) throws InterruptedException {
            timer.shutdownNow();
            long deadline = System.currentTimeMillis() + within.toMillis();
            while (true) {
                List<Invariants.FinalProduct> products = new ArrayList<>();
                for (String sku : initial.keySet()) {
                    Invariants.FinalProduct p = sample(sku);
                    if (p != null) {
                        products.add(p);
                    }
                }
                boolean settled = products.size() == initial.size() && products.stream().allMatch(p -> p.reserved() == 0);
                if (settled || System.currentTimeMillis() > deadline) {
                    return products;
                }
                Thread.sleep(2000);
            }
        }

        List<String> violations() {
            return List.copyOf(violations);
        }

        long samples() {
            return samples;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
