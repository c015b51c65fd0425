package io.distpatterns.systemtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks of the end state; each one names what it checked and, when it fails, examples. */
final class Invariants {

    record Result(String name, boolean passed, String detail) {
    }

    /** One order at the end, as the order API lists it. */
    record FinalOrder(String id, String customerId, String status, Map<String, Integer> quantities) {
    }

    /** One product at the end, and the lowest availability sampled during the run. */
    record FinalProduct(String sku, int initialStock, int available, int reserved, int committed, int lowestSampled) {
    }

    static final Set<String> TERMINAL = Set.of("CONFIRMED", "REJECTED", "CANCELLED");

    private final List<Result> results = new ArrayList<>();

    List<Result> results() {
        return List.copyOf(results);
    }

    List<Result> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    void check(String name, List<String> violations, String whenPassed) {
        results.add(violations.isEmpty()
                ? new Result(name, true, whenPassed)
                : new Result(name, false, violations.size() + " violation(s), e.g. " + violations.subList(0, Math.min(5, violations.size()))));
    }

    /** Accepted orders: each listed exactly once by the API, in a terminal state. */
    void ordersSettled(List<LoadDriver.Placement> accepted, Map<String, List<FinalOrder>> listedById, String bound) {
        List<String> missingOrRepeated = new ArrayList<>();
        List<String> notTerminal = new ArrayList<>();
        for (LoadDriver.Placement p : accepted) {
            List<FinalOrder> listed = listedById.getOrDefault(p.orderId, List.of());
            if (listed.size() != 1) {
                missingOrRepeated.add(p.orderId + " listed " + listed.size() + " times");
            } else if (!TERMINAL.contains(listed.get(0).status())) {
                notTerminal.add(p.orderId + " " + listed.get(0).status());
            }
        }
        check("every accepted order exists exactly once (listed by its customer)", missingOrRepeated,
                accepted.size() + " accepted orders, each listed once");
        check("every accepted order reached CONFIRMED, REJECTED or CANCELLED within " + bound, notTerminal,
                "all " + accepted.size() + " terminal");
    }

    /** Stock: conserved, never negative, and committed exactly for the confirmed orders (no effect twice). */
    void stock(List<FinalProduct> products, List<FinalOrder> allOrders) {
        Map<String, Integer> confirmedUnits = new HashMap<>();
        for (FinalOrder o : allOrders) {
            if ("CONFIRMED".equals(o.status())) {
                o.quantities().forEach((sku, q) -> confirmedUnits.merge(sku, q, Integer::sum));
            }
        }
        List<String> conservation = new ArrayList<>();
        List<String> effects = new ArrayList<>();
        for (FinalProduct p : products) {
            int sum = p.available() + p.reserved() + p.committed();
            if (sum != p.initialStock() || p.available() < 0 || p.reserved() < 0 || p.committed() < 0 || p.lowestSampled() < 0) {
                conservation.add(p.sku() + ": initial " + p.initialStock() + " vs available " + p.available() + " + reserved "
                        + p.reserved() + " + committed " + p.committed() + ", lowest sampled available " + p.lowestSampled());
            }
            int expected = confirmedUnits.getOrDefault(p.sku(), 0);
            if (p.committed() != expected || p.reserved() != 0) {
                effects.add(p.sku() + ": committed " + p.committed() + " but confirmed orders hold " + expected
                        + ", reserved " + p.reserved() + " (expected 0 once every order is terminal)");
            }
        }
        check("for every product initial stock = available + reserved + committed, never negative", conservation,
                products.size() + " products conserved; none ever negative (sampled every 5 s and at the end)");
        check("no stock effect applied twice: committed = units of CONFIRMED orders, nothing left reserved", effects,
                "committed matches the confirmed orders for all " + products.size() + " products");
    }

    /** Kafka, after deduplication by event id: one OrderPlaced per order, in order per aggregate, no decision twice. */
    void events(List<EventLog.Event> events, List<FinalOrder> allOrders, Set<String> acceptedIds) {
        Map<String, List<EventLog.Event>> byOrder = new LinkedHashMap<>();
        Map<String, List<EventLog.Event>> inventoryByOrder = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Set<Integer>> partitions = new HashMap<>();
        for (EventLog.Event e : events) {
            if (e.eventId() == null || !seen.add(e.topic() + "/" + e.eventId())) {
                continue; // the poison, or a duplicate delivery of an event already seen
            }
            if (EventLog.ORDERS_EVENTS.equals(e.topic())) {
                byOrder.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e);
                partitions.computeIfAbsent(e.aggregateId(), k -> new HashSet<>()).add(e.partition());
            } else if (e.orderId() != null) {
                inventoryByOrder.computeIfAbsent(e.orderId(), k -> new ArrayList<>()).add(e);
            }
        }
        List<String> placedViolations = new ArrayList<>();
        for (String id : acceptedIds) {
            long placed = byOrder.getOrDefault(id, List.of()).stream().filter(e -> "OrderPlaced".equals(e.eventType())).count();
            if (placed != 1) {
                placedViolations.add(id + " has " + placed + " OrderPlaced");
            }
        }
        Set<String> existing = new HashSet<>();
        allOrders.forEach(o -> existing.add(o.id()));
        for (String id : byOrder.keySet()) {
            if (!existing.contains(id)) {
                placedViolations.add("events for " + id + ", which no customer has");
            }
        }
        check("every accepted order has exactly one OrderPlaced on orders.events (after dedup by event id)", placedViolations,
                acceptedIds.size() + " accepted orders, one OrderPlaced each; " + byOrder.size() + " aggregates on the topic");

        List<String> orderViolations = new ArrayList<>();
        for (var entry : byOrder.entrySet()) {
            long expected = 1;
            for (EventLog.Event e : entry.getValue()) {
                if (e.aggregateVersion() != expected) {
                    orderViolations.add(entry.getKey() + ": version " + e.aggregateVersion() + " (" + e.eventType()
                            + ") where " + expected + " was due");
                    break;
                }
                expected++;
            }
            if (!"OrderPlaced".equals(entry.getValue().get(0).eventType())) {
                orderViolations.add(entry.getKey() + " starts with " + entry.getValue().get(0).eventType());
            }
            if (partitions.get(entry.getKey()).size() != 1) {
                orderViolations.add(entry.getKey() + " spread over partitions " + partitions.get(entry.getKey()));
            }
        }
        check("events in commit order per aggregate: versions 1, 2, 3 ... on one partition, OrderPlaced first", orderViolations,
                byOrder.size() + " aggregates in order");

        List<String> twice = new ArrayList<>();
        Map<String, String> statusOnKafka = new HashMap<>();
        for (var entry : byOrder.entrySet()) {
            int decided = 0;
            int cancelled = 0;
            for (EventLog.Event e : entry.getValue()) {
                switch (e.eventType()) {
                    case "OrderConfirmed": decided++; statusOnKafka.put(entry.getKey(), "CONFIRMED"); break;
                    case "OrderRejected": decided++; statusOnKafka.put(entry.getKey(), "REJECTED"); break;
                    case "OrderCancelled": cancelled++; statusOnKafka.put(entry.getKey(), "CANCELLED"); break;
                    default: statusOnKafka.putIfAbsent(entry.getKey(), "PENDING");
                }
            }
            if (decided > 1 || cancelled > 1) {
                twice.add(entry.getKey() + ": " + decided + " decisions, " + cancelled + " cancellations");
            }
        }
        for (var entry : inventoryByOrder.entrySet()) {
            long answers = entry.getValue().stream().filter(e -> e.eventType().equals("StockReserved") || e.eventType().equals("StockRejected")).count();
            long releases = entry.getValue().stream().filter(e -> e.eventType().equals("StockReleased")).count();
            if (answers > 1 || releases > 1) {
                twice.add(entry.getKey() + ": inventory answered " + answers + " times, released " + releases + " times");
            }
        }
        check("no order confirmed, rejected or cancelled twice; inventory reserved and released each order at most once", twice,
                byOrder.size() + " orders, " + inventoryByOrder.size() + " with inventory answers");

        List<String> disagreements = new ArrayList<>();
        for (FinalOrder o : allOrders) {
            String onKafka = statusOnKafka.get(o.id());
            if (!o.status().equals(onKafka)) {
                disagreements.add(o.id() + ": API " + o.status() + ", events say " + onKafka);
            }
        }
        check("every order's status agrees with the last of its events on Kafka", disagreements,
                allOrders.size() + " orders agree");
    }
}
