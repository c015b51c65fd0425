package io.distpatterns.order.service;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.test.TestHttp;

/**
 * A client of the order API under load, as a resharding test drives it: writers place orders for
 * random customers (retrying a 503 with the same Idempotency-Key, as a real client does), a
 * reader asks {@code GET /orders/{id}} for orders it knows exist. It records every order placed,
 * every 404 of an existing order, and per customer the slowest successful write.
 */
final class ReshardLoad implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY = """
            {"customerId": "%s", "currency": "EUR", "lines": [{"sku": "SKU-%d", "quantity": 1, "unitPrice": 3.5}]}""";

    final String base;
    private final List<String> bases;
    final List<String> customers;
    final Map<Long, String> placed = new ConcurrentHashMap<>();
    final Map<String, Long> slowestWriteMillis = new ConcurrentHashMap<>();
    final AtomicLong retried503 = new AtomicLong();
    final AtomicLong failedWrites = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong notFound = new AtomicLong();
    final AtomicLong readErrors = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService pool;

    ReshardLoad(int port, int customerCount) {
        this(List.of(port), customerCount);
    }

    /** Spreads every request over the instances at {@code ports} (the first one answers {@link #get} and {@link #post}). */
    ReshardLoad(List<Integer> ports, int customerCount) {
        this.bases = ports.stream().map(p -> "http://127.0.0.1:" + p).toList();
        this.base = bases.get(0);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < customerCount; i++) {
            ids.add("cust-" + i + "-" + UUID.randomUUID().toString().substring(0, 6));
        }
        this.customers = List.copyOf(ids);
        this.pool = Executors.newFixedThreadPool(8);
    }

    /** Places {@code perCustomer} orders for each customer (before the move). */
    void seed(int perCustomer) throws InterruptedException {
        ExecutorService seeders = Executors.newFixedThreadPool(4);
        for (String customer : customers) {
            seeders.submit(() -> {
                for (int i = 0; i < perCustomer; i++) {
                    place(customer);
                }
            });
        }
        seeders.shutdown();
        seeders.awaitTermination(5, TimeUnit.MINUTES);
    }

    /** Starts {@code writers} writer threads and one reader. */
    void start(int writers) {
        for (int w = 0; w < writers; w++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    place(customers.get(ThreadLocalRandom.current().nextInt(customers.size())));
                }
            });
        }
        pool.submit(() -> {
            List<Long> known = new ArrayList<>();
            while (!stop.get()) {
                if (known.size() < placed.size()) {
                    known = new ArrayList<>(placed.keySet());
                }
                if (known.isEmpty()) {
                    continue;
                }
                long id = known.get(ThreadLocalRandom.current().nextInt(known.size()));
                HttpResponse<String> r = TestHttp.send(HttpRequest.newBuilder(URI.create(anyBase() + "/orders/" + id)).GET().build());
                reads.incrementAndGet();
                if (r.statusCode() == 404) {
                    notFound.incrementAndGet();
                } else if (r.statusCode() != 200) {
                    readErrors.incrementAndGet();
                }
            }
        });
    }

    void place(String customer) {
        String key = UUID.randomUUID().toString();
        String body = BODY.formatted(customer, ThreadLocalRandom.current().nextInt(1, 50));
        long start = System.nanoTime();
        for (int attempt = 0; attempt < 20; attempt++) {
            HttpResponse<String> r = TestHttp.send(HttpRequest.newBuilder(URI.create(anyBase() + "/orders"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            if (r.statusCode() == 201) {
                JsonNode order = JSON.readTree(r.body());
                placed.put(Long.parseLong(order.get("id").asString()), customer);
                slowestWriteMillis.merge(customer, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                return;
            }
            if (r.statusCode() == 503) {
                retried503.incrementAndGet();
                sleep(200);
                continue;
            }
            failedWrites.incrementAndGet();
            return;
        }
        failedWrites.incrementAndGet();
    }

    private String anyBase() {
        return bases.get(ThreadLocalRandom.current().nextInt(bases.size()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    JsonNode get(String path) {
        return JSON.readTree(TestHttp.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build()).body());
    }

    HttpResponse<String> post(String path, String json) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
    }
}
