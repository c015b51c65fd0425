package io.distpatterns.relay.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.distpatterns.relay.messaging.RelayFixture.distinctEvents;
import static io.distpatterns.relay.messaging.RelayFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The relay on real PostgreSQL and an embedded KRaft broker: completeness, order, faults. */
class OutboxRelayFlowIT {

    static RelayFixture fixture;

    @BeforeAll
    static void infrastructure() {
        fixture = new RelayFixture();
    }

    @AfterEach
    void stopRelays() {
        fixture.closeRelays();
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    @Test
    void aTransactionThatCommitsLateIsNotSkipped() throws Exception {
        String shard = "orders_shard_0";
        CountDownLatch wrote = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Long> slow = pool.submit(() -> fixture.tx(shard).execute(s -> {
            long id = fixture.writer.append(fixture.outboxes.get(shard), RelayFixture.event("late-slow", Map.of("n", 1)));
            wrote.countDown();
            await(commit);
            return id;
        }));
        assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
        long fast = fixture.write(shard, "late-fast", Map.of("n", 2)); // higher id, commits first
        fixture.relay(fixture.settings("late-1"));

        // An open transaction holds nothing back: the one that committed is relayed at once ...
        waitUntil(() -> fixture.published("late-") == 1);
        Thread.sleep(500); // several more poll cycles with the older transaction still open
        assertThat(fixture.published("late-")).as("the open transaction's row is not visible yet").isEqualTo(1);

        // ... and the one that commits late is read by a later poll, not jumped over.
        commit.countDown();
        long slowId = slow.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        var records = fixture.consume(k -> k.startsWith("late-"), r -> distinctEvents(r) == 2);

        assertThat(records).extracting(r -> header(r, "eventId"))
                .contains(Long.toString(slowId), Long.toString(fast));
        waitUntil(() -> fixture.published("late-") == 2);
    }

    @Test
    void threeRelaysKeepEveryAggregatesCommitOrderOverTenThousandEvents() throws Exception {
        int aggregates = 100;
        int perAggregate = 100;
        fixture.relay(fixture.settings("order-a"));
        fixture.relay(fixture.settings("order-b"));
        fixture.relay(fixture.settings("order-c"));

        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < aggregates * perAggregate / 8; i++) {
                    int aggregate = (i * 8 + writer) % aggregates; // writers race on the same aggregates
                    String shard = RelayFixture.SOURCES.get(aggregate % 2);
                    fixture.write(shard, "ord-" + aggregate, Map.of("i", i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        writers.shutdown();

        var records = fixture.consume(k -> k.startsWith("ord-"), r -> distinctEvents(r) == aggregates * perAggregate);

        assertThat(distinctEvents(records)).isEqualTo(aggregates * perAggregate);
        Map<String, Long> highest = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            long version = Long.parseLong(header(r, "aggregateVersion"));
            long before = highest.getOrDefault(r.key(), 0L);
            assertThat(version).as("%s: v%d after v%d", r.key(), version, before).isLessThanOrEqualTo(before + 1);
            highest.put(r.key(), Math.max(before, version));
        }
        assertThat(highest).hasSize(aggregates).allSatisfy((k, v) -> assertThat(v).isEqualTo(perAggregate));
    }

    @Test
    void aPoisonRowIsParkedItsAggregateWaitsAndOthersFlow() {
        String shard = "orders_shard_1";
        var settings = fixture.settings("poison-1");
        long poison = fixture.write(shard, "poison-p", Map.of("blob", "x".repeat(1_200_000)));
        long behind = fixture.write(shard, "poison-p", Map.of("n", 2));
        for (int i = 0; i < 20; i++) {
            fixture.write(shard, "poison-q" + i, Map.of("n", i));
        }
        fixture.relay(settings);

        var others = fixture.consume(k -> k.startsWith("poison-q"), r -> distinctEvents(r) == 20);
        waitUntil(() -> fixture.jdbc(shard).queryForObject(
                "SELECT parked_at IS NOT NULL FROM outbox_events WHERE event_id = ?", Boolean.class, poison));

        assertThat(distinctEvents(others)).isEqualTo(20);
        var parked = fixture.jdbc(shard).queryForMap("SELECT attempts, last_error FROM outbox_events WHERE event_id = ?", poison);
        assertThat(parked.get("attempts")).isEqualTo(settings.maxAttempts());
        assertThat(parked.get("last_error").toString()).contains("larger than");
        assertThat(fixture.jdbc(shard).queryForObject("SELECT published_at FROM outbox_events WHERE event_id = ?",
                java.sql.Timestamp.class, behind)).as("v2 waits behind the parked v1").isNull();

        var source = new io.distpatterns.relay.persistence.OutboxSource(shard, "", fixture.outboxes.get(shard));
        assertThat(source.parked()).extracting(p -> p.eventId()).containsExactly(Long.toString(poison));
        assertThat(source.skip(poison)).isTrue();

        var p = fixture.consume(k -> k.equals("poison-p"), r -> distinctEvents(r) == 1);
        assertThat(p).extracting(r -> header(r, "eventId")).containsExactly(Long.toString(behind));
    }

    @Test
    void withKafkaDownRowsStayPendingHealthTurnsDownAndNothingIsLost() {
        var down = fixture.relay(fixture.settings("down-1").withDeliveryTimeout(Duration.ofSeconds(3), Duration.ofSeconds(2)),
                "127.0.0.1:1");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(fixture.write(RelayFixture.SOURCES.get(i % 2), "down-" + (i % 5), Map.of("i", i)));
        }

        waitUntil(() -> !down.kafka().available());

        assertThat(down.kafka().lastError()).isNotBlank();
        assertThat(fixture.published("down-")).isZero();

        fixture.closeRelays();
        fixture.relay(fixture.settings("down-2"));
        var records = fixture.consume(k -> k.startsWith("down-"), r -> distinctEvents(r) == 30);
        assertThat(records).extracting(r -> Long.parseLong(header(r, "eventId"))).containsAll(ids);
    }

    @Test
    void aRelayKilledWithSigkillMidStreamLosesNothing() throws Exception {
        int total = 6000;
        ExecutorService writers = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < total / 6; i++) {
                    fixture.write(RelayFixture.SOURCES.get(i % 2), "kill-" + ((i * 6 + writer) % 300), Map.of("i", i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        writers.shutdown();

        Process relay = startRelayProcess();
        long publishedAtKill;
        try {
            waitUntil(() -> fixture.published("kill-") >= 500, Duration.ofSeconds(90));
        } finally {
            relay.destroyForcibly(); // SIGKILL: no shutdown hook, no lease given back, a batch in flight
            relay.waitFor(10, TimeUnit.SECONDS);
            publishedAtKill = fixture.published("kill-");
        }
        assertThat(publishedAtKill).as("killed mid-stream").isLessThan(total);

        fixture.relay(fixture.settings("after-kill"));
        var records = fixture.consume(k -> k.startsWith("kill-"), r -> distinctEvents(r) == total);

        assertThat(distinctEvents(records)).isEqualTo(total);
        waitUntil(() -> fixture.published("kill-") == total);
    }

    private Process startRelayProcess() throws Exception {
        var server = fixture.scope.server();
        List<String> command = List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.distpatterns.relay.OutboxRelayApplication",
                "--server.port=0",
                "--platform.pg.url=" + server.maintenanceUrl(),
                "--platform.pg.user=" + server.user(),
                "--platform.pg.password=" + server.password(),
                "--platform.pg.database-suffix=" + fixture.scope.suffix(),
                "--relay.instance-id=doomed",
                "--relay.sources=" + String.join(",", RelayFixture.SOURCES),
                "--relay.order-shard-count=0",
                "--relay.lease-ttl=2s",
                "--relay.batch-size=50",
                "--relay.min-poll-interval=50ms",
                "--spring.kafka.bootstrap-servers=" + fixture.bootstrap(),
                "--management.tracing.export.enabled=false");
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new java.io.File("target/killed-relay.log"));
        return builder.start();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        waitUntil(condition, Duration.ofSeconds(60));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
