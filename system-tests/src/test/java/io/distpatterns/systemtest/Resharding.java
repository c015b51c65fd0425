package io.distpatterns.systemtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

/**
 * A fifth order shard added online through the gateway ({@code POST /api/shards} with
 * {@code "online": true}) while the load keeps running: order-service's mover copies, verifies and
 * switches one ring range at a time. Meanwhile existing orders are read back continuously (none may
 * answer 404); afterwards the customers' owners before and after say which fraction moved, and the
 * shard databases say whether every order is on its owner shard exactly once.
 */
final class Resharding {

    static final String NEW_SHARD = "orders_shard_4";

    private final Gateway gateway;
    private final Profile profile;
    private final Timeline timeline;
    private final Supplier<List<LoadDriver.Placement>> placements;
    final Map<String, Object> outcomes = new LinkedHashMap<>();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong notFound = new AtomicLong();
    private final ConcurrentLinkedQueue<String> notFoundExamples = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> readStatuses = new java.util.concurrent.ConcurrentHashMap<>();
    private Map<String, String> ownersBefore = Map.of();
    private Map<String, String> ownersAfter = Map.of();
    private JsonNode finalProgress;

    Resharding(Gateway gateway, Profile profile, Timeline timeline, Supplier<List<LoadDriver.Placement>> placements) {
        this.gateway = gateway;
        this.profile = profile;
        this.timeline = timeline;
        this.placements = placements;
    }

    void run() throws Exception {
        ownersBefore = owners();
        Map<String, Long> before = gateway.statusCounts();
        ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
        reader.scheduleWithFixedDelay(this::readAnExistingOrder, 0, 50, TimeUnit.MILLISECONDS);
        long started = System.currentTimeMillis();
        try {
            Gateway.Response added = gateway.admin("POST", "/api/shards", // shard map writes need the admin key
                    Map.of("id", NEW_SHARD, "location", NEW_SHARD, "online", true));
            timeline.record("add shard online", added.status() + " " + NEW_SHARD + ", planned fraction of the key space "
                    + (added.json() == null ? "?" : added.json().path("plan").path("movedFraction").asString()));
            if (added.status() != 201) {
                outcomes.put("shard added", added.status() + " " + added.body());
                return;
            }
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(15).toMillis();
            String state = "";
            while (System.currentTimeMillis() < deadline) {
                Thread.sleep(2000);
                Gateway.Response r = gateway.admin("GET", "/api/admin/orders/moves?limit=1", null);
                if (r.status() == 200 && r.json().size() > 0) {
                    finalProgress = r.json().get(0);
                    state = finalProgress.path("state").asString();
                    if (!state.equals("RUNNING")) {
                        break;
                    }
                }
            }
            timeline.record("move " + state.toLowerCase(), finalProgress == null ? "no progress read" : summary(finalProgress));
        } finally {
            reader.shutdown(); // lets a read in flight finish (an interrupted one would count as a failed read)
            reader.awaitTermination(20, TimeUnit.SECONDS);
        }
        Map<String, Long> after = gateway.statusCounts();
        long writeErrors = 0;
        for (var entry : after.entrySet()) {
            if (entry.getKey().startsWith("POST /api/orders ") && !entry.getKey().endsWith(" 201")) {
                writeErrors += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            }
        }
        ownersAfter = owners();
        outcomes.put("move duration, s", (System.currentTimeMillis() - started) / 1000.0);
        outcomes.put("move progress at the end", finalProgress == null ? "none" : summary(finalProgress));
        outcomes.put("order writes answered other than 201 during the move (the client retried each)", writeErrors);
        outcomes.put("existing orders read during the move", reads.get());
        outcomes.put("reads by status", new java.util.TreeMap<>(readStatuses));
    }

    private static String summary(JsonNode p) {
        return String.format(java.util.Locale.ROOT, "state %s, units %d (verified %d, switched %d, done %d), customers moved %d, "
                        + "orders copied %d, longest write pause %d ms, %.1f customers/s, %.1f orders/s, %.0f s, lastError %s",
                p.path("state").asString(), p.path("units").asInt(), p.path("verified").asInt(), p.path("switched").asInt(),
                p.path("done").asInt(), p.path("customersMoved").asLong(), p.path("ordersCopied").asLong(),
                p.path("longestPauseMillis").asLong(), p.path("customersPerSecond").asDouble(),
                p.path("ordersPerSecond").asDouble(), p.path("seconds").asDouble(), p.path("lastError").asString("-"));
    }

    private void readAnExistingOrder() {
        List<LoadDriver.Placement> all = placements.get();
        if (all.isEmpty()) {
            return;
        }
        LoadDriver.Placement p = all.get(ThreadLocalRandom.current().nextInt(all.size()));
        if (p.orderId == null) {
            return;
        }
        Gateway.Response r = gateway.get("/api/orders/{id}", "/api/orders/" + p.orderId);
        reads.incrementAndGet();
        readStatuses.merge(String.valueOf(r.status()), 1L, Long::sum);
        if (r.status() == 404) {
            notFound.incrementAndGet();
            notFoundExamples.add(p.orderId + " of " + p.customerId);
        }
    }

    /** Each customer's shard by the current map, as shard-router routes it. */
    private Map<String, String> owners() throws InterruptedException {
        Map<String, String> owners = new HashMap<>();
        for (int c = 0; c < profile.customers(); c++) {
            String customer = "c-" + c;
            for (int attempt = 0; attempt < 30; attempt++) {
                Gateway.Response r = gateway.get("/api/shards/route", "/api/shards/route?key=" + customer);
                if (r.status() == 200) {
                    owners.put(customer, r.json().path("shardId").asString());
                    break;
                }
                Thread.sleep(500);
            }
        }
        return owners;
    }

    /** The checks of the move, reading the shard databases directly for where each order is stored. */
    void check(Invariants invariants) throws Exception {
        String state = finalProgress == null ? "none" : finalProgress.path("state").asString();
        List<String> moveProblems = new ArrayList<>();
        if (!"COMPLETED".equals(state)) {
            moveProblems.add("the move ended " + state + (finalProgress == null ? "" : ": " + summary(finalProgress)));
        } else if (finalProgress.path("done").asInt() != finalProgress.path("units").asInt()) {
            moveProblems.add("not every unit done: " + summary(finalProgress));
        }
        invariants.check("the fifth shard was added online: the move COMPLETED with every unit copied, verified (counts and checksums), switched, done",
                moveProblems, finalProgress == null ? "" : summary(finalProgress));

        int moved = 0;
        List<String> wrongTarget = new ArrayList<>();
        for (var entry : ownersBefore.entrySet()) {
            String now = ownersAfter.get(entry.getKey());
            if (!entry.getValue().equals(now)) {
                moved++;
                if (!NEW_SHARD.equals(now)) {
                    wrongTarget.add(entry.getKey() + " moved " + entry.getValue() + " -> " + now);
                }
            }
        }
        double fraction = ownersBefore.isEmpty() ? 0 : moved / (double) ownersBefore.size();
        outcomes.put("customers moved", moved + " of " + ownersBefore.size() + String.format(java.util.Locale.ROOT, " (%.3f)", fraction));
        List<String> fractionProblems = new ArrayList<>(wrongTarget);
        if (fraction < 0.12 || fraction > 0.28) {
            fractionProblems.add(String.format(java.util.Locale.ROOT, "moved fraction %.3f, not about 1/5", fraction));
        }
        invariants.check("about 1/5 of the customers moved, all of them to the new shard", fractionProblems,
                moved + " of " + ownersBefore.size() + String.format(java.util.Locale.ROOT, " customers (%.3f)", fraction));

        invariants.check("GET /api/orders/{id} never answered 404 for an existing order during the move",
                notFound.get() == 0 ? List.of() : List.copyOf(notFoundExamples), reads.get() + " reads, no 404");

        Map<String, List<String>> shardsOfOrder = new HashMap<>();
        List<String> misplaced = new ArrayList<>();
        for (String database : Platform.databasesLike("orders_shard_%")) {
            String shard = database.substring(0, database.length() - Platform.DATABASE_SUFFIX.length());
            String url = Platform.PG_URL.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
            try (Connection c = DriverManager.getConnection(url, Platform.PG_USER, Platform.PG_PASSWORD);
                 var rs = c.createStatement().executeQuery("SELECT id::text, customer_id FROM orders")) {
                while (rs.next()) {
                    shardsOfOrder.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(shard);
                    String owner = ownersAfter.get(rs.getString(2));
                    if (owner != null && !owner.equals(shard)) {
                        misplaced.add("order " + rs.getString(1) + " of " + rs.getString(2) + " on " + shard + ", owner " + owner);
                    }
                }
            }
        }
        shardsOfOrder.forEach((id, shards) -> {
            if (shards.size() != 1) {
                misplaced.add("order " + id + " on " + shards);
            }
        });
        invariants.check("after the move every order is stored exactly once, on its customer's owner shard", misplaced,
                shardsOfOrder.size() + " orders in " + shardsOfOrderCount(shardsOfOrder) + " shard databases, each once, on its owner");
    }

    private static long shardsOfOrderCount(Map<String, List<String>> shardsOfOrder) {
        return shardsOfOrder.values().stream().flatMap(List::stream).distinct().count();
    }
}
