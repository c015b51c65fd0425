package io.distpatterns.order.service;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.distpatterns.order.persistence.ShardDatabases;
import io.distpatterns.platform.outbox.EventEnvelope;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.test.TestHttp;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * During a move: answers orders as inventory would (StockReserved, every fourth StockRejected),
 * each answer delivered twice, a third of the second copies held back until after the move; and
 * cancels random orders over HTTP. Then checks that every answer and every cancel had exactly one
 * effect and that every order's events form one gapless sequence on its owner shard.
 */
final class SagaAndCancels implements AutoCloseable {

    final Map<Long, String> answers = new ConcurrentHashMap<>();
    final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    final AtomicLong cancelErrors = new AtomicLong();
    int lateDuplicates;
    private final List<ProducerRecord<String, String>> heldBack = new ArrayList<>();
    private final ReshardLoad load;
    private final KafkaTemplate<String, String> kafka;
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;

    SagaAndCancels(ReshardLoad load, KafkaTemplate<String, String> kafka) {
        this.load = load;
        this.kafka = kafka;
    }

    void start() {
        thread = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                List<Long> known = new ArrayList<>(load.placed.keySet());
                if (known.isEmpty()) {
                    continue;
                }
                long order = known.get(ThreadLocalRandom.current().nextInt(known.size()));
                if (++n % 3 == 0) {
                    cancel(order);
                } else if (!answers.containsKey(order)) {
                    answer(order, n % 4 == 0 ? "StockRejected" : "StockReserved");
                }
                sleep(15);
            }
        }, "saga-and-cancels");
        thread.start();
    }

    private void answer(long order, String type) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("orderId", Long.toString(order));
        payload.put("reason", "INSUFFICIENT_STOCK");
        String event = ReshardLoad.JSON.writeValueAsString(new EventEnvelope(UUID.randomUUID().toString().substring(0, 18), type,
                "Reservation", Long.toString(order), 1, Instant.now(), 1, ReshardLoad.JSON.valueToTree(payload), null));
        ProducerRecord<String, String> record = new ProducerRecord<>("inventory.events", Long.toString(order), event);
        answers.put(order, type);
        kafka.send(record);
        if (answers.size() % 3 == 0) {
            synchronized (heldBack) {
                heldBack.add(record);
            }
        } else {
            kafka.send(record);
        }
    }

    private void cancel(long order) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int status = TestHttp.send(HttpRequest.newBuilder(URI.create(load.base + "/orders/" + order + "/cancel"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode();
            if (status == 200) {
                cancelled.add(order);
                return;
            }
            if (status == 409) {
                return; // already cancelled or rejected
            }
            if (status != 503) {
                cancelErrors.incrementAndGet();
                return;
            }
            sleep(200);
        }
        cancelErrors.incrementAndGet();
    }

    /** Every answered order has left PENDING. */
    boolean settled(ShardDatabases shards, ShardMap map) {
        Map<Long, String> status = statuses(shards, map);
        return answers.keySet().stream().allMatch(o -> !"PENDING".equals(status.get(o)));
    }

    void assertOneEffectEach(ShardDatabases shards, ShardMap map) {
        Map<Long, String> status = statuses(shards, map);
        Map<Long, List<String>> events = new HashMap<>();
        Map<Long, List<Long>> versions = new HashMap<>();
        Map<Long, Long> counters = new HashMap<>();
        Set<Long> eventIds = new java.util.HashSet<>();
        for (Shard shard : map.shards()) {
            var jdbc = shards.open(shard).jdbc();
            jdbc.query("SELECT aggregate_id, event_type, aggregate_version, event_id FROM outbox_events ORDER BY aggregate_version", rs -> {
                long order = Long.parseLong(rs.getString(1));
                assertThat(map.route(load.placed.get(order)).shardId()).as("events of order %d live on its owner", order).isEqualTo(shard.id());
                events.computeIfAbsent(order, k -> new ArrayList<>()).add(rs.getString(2));
                versions.computeIfAbsent(order, k -> new ArrayList<>()).add(rs.getLong(3));
                assertThat(eventIds.add(rs.getLong(4))).as("event id %d once across all shards", rs.getLong(4)).isTrue();
            });
            jdbc.query("SELECT aggregate_id, last_version FROM outbox_aggregate_sequences", rs -> {
                counters.put(Long.parseLong(rs.getString(1)), rs.getLong(2));
            });
        }
        for (long order : load.placed.keySet()) {
            List<Long> v = versions.get(order);
            for (int i = 0; i < v.size(); i++) {
                assertThat(v.get(i)).as("version %d of order %d", i + 1, order).isEqualTo(i + 1L);
            }
            assertThat(counters.get(order)).as("version counter of order %d", order).isEqualTo((long) v.size());
            List<String> types = events.get(order);
            assertThat(types.get(0)).isEqualTo("OrderPlaced");
            assertThat(types.stream().filter(t -> !t.equals("OrderPlaced"))).as("order %d: at most one change", order)
                    .hasSizeLessThanOrEqualTo(2); // confirmed then cancelled at most
            assertThat(types.stream().filter("OrderConfirmed"::equals).count()).isLessThanOrEqualTo(1);
            assertThat(types.stream().filter("OrderRejected"::equals).count()).isLessThanOrEqualTo(1);
            assertThat(types.stream().filter("OrderCancelled"::equals).count()).isLessThanOrEqualTo(1);
            String s = status.get(order);
            String expectedEvent = switch (s) {
                case "CONFIRMED" -> "OrderConfirmed";
                case "REJECTED" -> "OrderRejected";
                case "CANCELLED" -> "OrderCancelled";
                default -> null;
            };
            if (expectedEvent != null) {
                assertThat(types).as("order %d is %s", order, s).contains(expectedEvent);
            }
            if (cancelled.contains(order)) {
                assertThat(s).isEqualTo("CANCELLED");
            } else if (answers.containsKey(order)) {
                assertThat(s).as("order %d answered %s", order, answers.get(order))
                        .isEqualTo(answers.get(order).equals("StockReserved") ? "CONFIRMED" : "REJECTED");
            }
        }
    }

    private Map<Long, String> statuses(ShardDatabases shards, ShardMap map) {
        Map<Long, String> status = new HashMap<>();
        for (Shard shard : map.shards()) {
            shards.open(shard).jdbc().query("SELECT id, status FROM orders", rs -> {
                status.put(rs.getLong(1), rs.getString(2));
            });
        }
        return status;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops, then delivers the held-back second copies (after the move). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
        synchronized (heldBack) {
            heldBack.forEach(kafka::send);
            lateDuplicates = heldBack.size();
        }
        kafka.flush();
    }
}
