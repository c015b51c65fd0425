package io.distpatterns.relay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.outbox.NewEvent;
import io.distpatterns.platform.outbox.OutboxSchema;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Topics;
import io.distpatterns.platform.test.DatabaseScope;
import io.distpatterns.relay.config.RelayProperties;
import io.distpatterns.relay.messaging.EventPublisher;
import io.distpatterns.relay.messaging.OutboxRelay;
import io.distpatterns.relay.persistence.PartitionLeases;
import io.distpatterns.relay.persistence.SourceCatalog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: the relay against the naive baseline (one relay, per-row synchronous send, rows
 * marked one by one) in one run, with an in-process KRaft broker and 4 order shards on the real
 * PostgreSQL. Writes a Markdown summary to the path given as first argument.
 */
public final class RelayBenchmark {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Relay batch size ({@code -Drelay.bench.batch}, default the relay's default). */
    static final int BATCH = Integer.getInteger("relay.bench.batch", RelayProperties.defaults("x").batchSize());
    static final List<String> SHARDS = List.of("orders_shard_0", "orders_shard_1", "orders_shard_2", "orders_shard_3");

    final DatabaseScope scope = DatabaseScope.open();
    // LogAppendTime: every record carries the time the broker appended it, so "commit to Kafka" is
    // measured to the broker's append, not to whenever a consumer happened to fetch it.
    final EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 6, Topics.ORDERS_EVENTS)
            .brokerProperty("log.message.timestamp.type", "LogAppendTime");
    final Map<String, HikariDataSource> shards = new LinkedHashMap<>();
    final List<String> shardDatabases = new ArrayList<>();
    final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 100);
    final OutboxWriter writer = new OutboxWriter(ids::incrementAndGet, JSON, () -> null);
    HikariDataSource relayDb;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench-results/relay.md");
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        var bench = new RelayBenchmark();
        try {
            Files.writeString(out, bench.run(backlog));
            System.out.println(Files.readString(out));
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    String run(int backlog) throws Exception {
        broker.afterPropertiesSet();
        for (String s : SHARDS) {
            scope.server().createDatabaseIfMissing(scope.database(s));
            HikariDataSource ds = scope.server().dataSource(scope.database(s), 10);
            new JdbcTemplate(ds).execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer varchar(50), total numeric)");
            OutboxSchema.migrate(ds);
            shards.put(s, ds);
            shardDatabases.add(scope.database(s));
        }
        scope.server().createDatabaseIfMissing(scope.database("outbox_relay"));
        relayDb = scope.server().dataSource(scope.database("outbox_relay"), 4);
        Flyway.configure().dataSource(relayDb).locations("classpath:db/migration").load().migrate();
        StringBuilder md = new StringBuilder("# Outbox relay benchmark\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, PostgreSQL at ")
                .append(scope.server().maintenanceUrl()).append(", in-process KRaft broker (6 partitions), ")
                .append("4 order shards, relay batches of ").append(BATCH).append(" rows. Load average at start: ")
                .append(loadAverage()).append(" (other work shares this machine: compare within one run).\n\n");

        // 1. latency at 1,000 events/s in steady state: 250 transactions/s of 4 events each on fresh
        //    tables, with the clean-up running as it does in steady state (every second, rows published
        //    more than 5 s ago), then the naive baseline under the same load
        String loadBeforeLatency = loadAverage();
        Running latencyRelay = relay("bench-latency", RelayProperties.defaults("bench-latency").withBatchSize(BATCH)
                .withCleanup(Duration.ofSeconds(1), Duration.ofSeconds(5)));
        latency(Duration.ofSeconds(10)); // warm-up: JIT, connection pools, producer metadata
        Latency relayLatency = latency(Duration.ofSeconds(20));
        latencyRelay.close();
        var naive2 = new NaiveRelay();
        naive2.start();
        Latency naiveLatency = latency(Duration.ofSeconds(20));
        naive2.stop();
        String loadAfterLatency = loadAverage();
        drainWith("bench-drain-0");

        // 2. write throughput without a relay (also builds the backlog)
        double writesAlone = write(8, Duration.ofSeconds(10), 0);
        topUp(backlog);
        long pending = pending();

        // 3. drain the backlog: relay vs naive
        // Progress is read from the relay's own counter: polling count(*) on 4 shards every few ms
        // would itself load the database the relay is measured on.
        Map<Integer, Long> cpu0 = pgCpuMillis();
        long jvm0 = jvmCpuNanos();
        long t0 = System.nanoTime();
        Running relay = relay("bench-relay");
        // sustained rate: from the first published row (sources found, leases taken) to an empty outbox
        waitUntil(() -> relay.published() > 0, Duration.ofMinutes(1), 2);
        long tProgress = System.nanoTime();
        long fromProgress = pending - relay.published();
        waitUntil(() -> relay.published() >= pending, Duration.ofMinutes(5), 5);
        long tEnd = System.nanoTime();
        double relayCpu = cpuDelta(cpu0, pgCpuMillis()) * 1e6 / pending;
        double relayJvm = (jvmCpuNanos() - jvm0) / 1e3 / pending;
        waitUntil(() -> pending() == 0, Duration.ofMinutes(5));
        double relayRate = fromProgress / ((tEnd - tProgress) / 1e9);
        double relayWall = pending / ((tEnd - t0) / 1e9);
        double startup = (tProgress - t0) / 1e9;
        relay.close();

        topUp(backlog);
        long before = pending();
        var naive = new NaiveRelay();
        Map<Integer, Long> naiveCpu0 = pgCpuMillis();
        long naiveJvm0 = jvmCpuNanos();
        naive.start();
        Thread.sleep(15_000);
        Map<Integer, Long> naiveCpu1 = pgCpuMillis();
        long naiveJvm1 = jvmCpuNanos();
        naive.stop();
        long naiveDone = before - pending();
        double naiveRate = naiveDone / 15.0;
        double naiveCpu = cpuDelta(naiveCpu0, naiveCpu1) * 1e6 / Math.max(1, naiveDone);
        double naiveJvm = (naiveJvm1 - naiveJvm0) / 1e3 / Math.max(1, naiveDone);
        drainWith("bench-drain");

        // 4. write throughput with the relay running
        Running running = relay("bench-running");
        double writesWithRelay = write(8, Duration.ofSeconds(10), 0);
        waitUntil(() -> pending() == 0, Duration.ofMinutes(5));
        running.close();

        // 5. the same latency load right after the backlogs, while clean-up deletes their published rows
        Running afterBacklog = relay("bench-latency-2");
        Latency busyLatency = latency(Duration.ofSeconds(20));
        afterBacklog.close();

        md.append("| measure | relay | naive baseline |\n|---|---|---|\n");
        md.append(String.format("| sustained events/s, 4 shards, draining a backlog of %,d | %,.0f | %,.0f |%n", pending, relayRate, naiveRate));
        md.append(String.format("| same, wall clock including relay start-up (%.1f s: sources, leases, producer) | %,.0f | |%n",
                startup, relayWall));
        md.append(String.format("| PostgreSQL CPU per relayed event (backends of the 4 shard databases, /proc) | %.0f µs | %.0f µs |%n",
                relayCpu, naiveCpu));
        md.append(String.format("| JVM CPU per relayed event (relay + in-process Kafka broker + benchmark) | %.0f µs | %.0f µs |%n",
                relayJvm, naiveJvm));
        md.append(String.format("| commit → appended on the broker at 1,000 events/s, p50 / p99 / max | %s | %s |%n",
                relayLatency.toKafka(), naiveLatency.toKafka()));
        md.append(String.format("| commit → received by a consumer at 1,000 events/s, p50 / p99 / max | %s | %s |%n",
                relayLatency.toConsumer(), naiveLatency.toConsumer()));
        md.append(String.format("| same load right after the backlogs, clean-up deleting them: commit → broker, p50 / p99 / max | %s | |%n",
                busyLatency.toKafka()));
        md.append(String.format("| events measured (latency runs, 20 s each, 20,000 offered) | %,d (%,d) | %,d |%n%n",
                relayLatency.samples(), busyLatency.samples(), naiveLatency.samples()));
        md.append(String.format("Latency load: 1,000 events/s offered as 250 transactions/s of 4 events each (4 writers, one "
                + "per shard, paced), about %.0f%% of the write ceiling of step 2, on fresh tables with the clean-up "
                + "every second (retention 5 s). Commit = the writer's clock right after COMMIT returned; broker = the "
                + "record's LogAppendTime (same machine clock, ms). Load average before the steady-state latency runs: "
                + "%s, after: %s.%n%n", 100 * 250 / Math.max(1, writesAlone), loadBeforeLatency, loadAfterLatency));
        md.append(String.format("Write throughput (order row + outbox event per transaction, 8 writers): **%,.0f tx/s without "
                + "the relay**, **%,.0f tx/s with the relay draining concurrently**.%n%n", writesAlone, writesWithRelay));
        md.append(String.format("After the runs (clean-up not yet due, retention 1 min): outbox table of orders_shard_0 %s, "
                + "dead tuples %s.%n", new JdbcTemplate(shards.get("orders_shard_0")).queryForObject(
                "SELECT pg_size_pretty(pg_total_relation_size('outbox_events'))", String.class),
                new JdbcTemplate(shards.get("orders_shard_0")).queryForObject(
                        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'outbox_events'", Long.class)));
        long t1 = System.nanoTime();
        long deleted = new io.distpatterns.relay.persistence.OutboxSource("orders_shard_0", "", shards.get("orders_shard_0"))
                .cleanup(Duration.ZERO, 5000, 1000);
        md.append(String.format("Clean-up of orders_shard_0 in bounded batches of 5,000: %,d rows in %.0f ms (%,.0f rows/s), "
                + "each batch its own short transaction; unpublished rows are never matched.%n", deleted,
                (System.nanoTime() - t1) / 1e6, deleted / ((System.nanoTime() - t1) / 1e9)));
        return md.toString();
    }

    double write(int threads, Duration duration, int ratePerSecond) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    String shard = SHARDS.get((int) ((n + thread) % SHARDS.size()));
                    writeOne(shard, "c-" + thread + "-" + (n % 1000));
                    n++;
                    done.incrementAndGet();
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    void writeOne(String shard, String aggregate) {
        HikariDataSource ds = shards.get(shard);
        new TransactionTemplate(new DataSourceTransactionManager(ds)).executeWithoutResult(s -> {
            long id = ids.incrementAndGet();
            new JdbcTemplate(ds).update("INSERT INTO orders VALUES (?, ?, 12.50)", id, aggregate);
            writer.append(ds, new NewEvent(Topics.ORDERS_EVENTS, "OrderPlaced", "Order", aggregate, 1, Instant.now(),
                    Map.of("orderId", Long.toString(id), "total", "12.50", "lines", List.of(Map.of("sku", "sku-1", "qty", 2)))));
        });
    }

    /** One transaction: an order row and {@code events} outbox events on distinct aggregates; returns their event ids. */
    List<Long> writeMany(String shard, String prefix, long n, int events) {
        HikariDataSource ds = shards.get(shard);
        return new TransactionTemplate(new DataSourceTransactionManager(ds)).execute(s -> {
            long id = ids.incrementAndGet();
            new JdbcTemplate(ds).update("INSERT INTO orders VALUES (?, ?, 12.50)", id, prefix);
            List<Long> eventIds = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                eventIds.add(writer.append(ds, new NewEvent(Topics.ORDERS_EVENTS, "OrderPlaced", "Order", prefix + ((n + i) % 200), 1,
                        Instant.now(), Map.of("orderId", Long.toString(id), "total", "12.50",
                                "lines", List.of(Map.of("sku", "sku-1", "qty", 2))))));
            }
            return eventIds;
        });
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    /** Bulk backlog: many events per transaction, so building it does not dominate the run. */
    void topUp(int backlog) {
        int perShard = backlog / SHARDS.size();
        SHARDS.parallelStream().forEach(shard -> {
            HikariDataSource ds = shards.get(shard);
            var tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            for (int done = 0; done < perShard; done += 500) {
                int base = done;
                tx.executeWithoutResult(s -> {
                    for (int i = 0; i < 500; i++) {
                        writer.append(ds, new NewEvent(Topics.ORDERS_EVENTS, "OrderPlaced", "Order",
                                "b-" + shard + "-" + ((base + i) % 5000), 1, Instant.now(), Map.of("n", base + i)));
                    }
                });
            }
        });
    }

    /** Per event: the writer's clock after its COMMIT returned, and when the broker appended it and a consumer got it. */
    record Latency(long[] toKafkaMillis, long[] toConsumerMillis) {

        int samples() {
            return toKafkaMillis.length;
        }

        String toKafka() {
            return figures(toKafkaMillis);
        }

        String toConsumer() {
            return figures(toConsumerMillis);
        }

        private static String figures(long[] sorted) {
            return sorted.length == 0 ? "n/a" : String.format("%.0f / %.0f / %d ms", pct(sorted, 50), pct(sorted, 99),
                    sorted[sorted.length - 1]);
        }
    }

    Latency latency(Duration duration) throws Exception {
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>(); // eventId, appended, received
        AtomicBoolean stop = new AtomicBoolean();
        String marker = "lat-" + ids.incrementAndGet() + "-";
        Thread consumer = new Thread(() -> {
            try (var c = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ConsumerConfig.GROUP_ID_CONFIG, marker, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new StringDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(Topics.ORDERS_EVENTS));
                while (!stop.get()) {
                    for (var r : c.poll(Duration.ofMillis(50))) {
                        var eventId = r.headers().lastHeader("eventId");
                        if (r.key().startsWith(marker) && eventId != null) {
                            seen.add(new long[] {Long.parseLong(new String(eventId.value())), r.timestamp(),
                                    System.currentTimeMillis()});
                        }
                    }
                }
            }
        });
        consumer.start();
        Thread.sleep(3000); // consumer assigned
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        long interval = 16_000_000; // 4 writers x 62.5 tx/s x 4 events = 1,000 events/s at 250 tx/s
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                long next = System.nanoTime();
                long n = 0;
                while (System.nanoTime() - start < duration.toNanos()) {
                    List<Long> events = writeMany(SHARDS.get(thread), marker + thread + "-", n, 4);
                    long committed = System.currentTimeMillis();
                    events.forEach(id -> committedAt.put(id, committed));
                    n += 4;
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
        Thread.sleep(3000);
        stop.set(true);
        consumer.join();
        List<Long> toKafka = new ArrayList<>();
        List<Long> toConsumer = new ArrayList<>();
        Set<Long> counted = new HashSet<>();
        for (long[] s : seen) {
            Long committed = committedAt.get(s[0]);
            if (committed != null && counted.add(s[0])) { // first delivery of each event
                toKafka.add(s[1] - committed);
                toConsumer.add(s[2] - committed);
            }
        }
        return new Latency(toKafka.stream().mapToLong(Long::longValue).sorted().toArray(),
                toConsumer.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    Running relay(String instance) {
        return relay(instance, RelayProperties.defaults(instance).withBatchSize(BATCH));
    }

    Running relay(String instance, RelayProperties settings) {
        var catalog = new SourceCatalog(scope.server(), () -> Set.copyOf(SHARDS), scope::database, 4);
        var leases = new PartitionLeases(relayDb, settings.partitions());
        leases.initialize();
        var publisher = new EventPublisher(EventPublisher.producer(broker.getBrokersAsString(), instance,
                settings.maxMessageBytes(), settings.deliveryTimeout()), JSON, Tracer.NOOP, Propagator.NOOP, settings.maxMessageBytes());
        var registry = new SimpleMeterRegistry();
        var relay = new OutboxRelay(settings, catalog, leases, publisher, registry);
        relay.start();
        return new Running(relay, publisher, catalog, registry);
    }

    /** A started relay and what it owns. */
    record Running(OutboxRelay relay, EventPublisher publisher, SourceCatalog catalog, SimpleMeterRegistry registry)
            implements AutoCloseable {

        /** Events acknowledged by Kafka and marked published so far, all sources. */
        long published() {
            return (long) registry.find("outbox.published").counters().stream().mapToDouble(c -> c.count()).sum();
        }

        @Override
        public void close() {
            relay.close();
            publisher.close();
            catalog.close();
        }
    }

    void drainWith(String instance) {
        Running relay = relay(instance);
        waitUntil(() -> pending() == 0, Duration.ofMinutes(5));
        relay.close();
    }

    long pending() {
        return shards.values().stream().mapToLong(ds -> new JdbcTemplate(ds).queryForObject(
                "SELECT count(*) FROM outbox_events WHERE published_at IS NULL", Long.class)).sum();
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        waitUntil(condition, timeout, 100);
    }

    /** CPU time (user + system, ms) of every backend connected to a shard database, by pid. */
    Map<Integer, Long> pgCpuMillis() {
        Map<Integer, Long> cpu = new java.util.HashMap<>();
        String names = String.join("','", shardDatabases);
        for (Integer pid : new JdbcTemplate(relayDb).queryForList(
                "SELECT pid FROM pg_stat_activity WHERE datname IN ('" + names + "')", Integer.class)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10); // clock ticks of 10 ms
            } catch (Exception e) {
                // the backend ended (or PostgreSQL is not local): not counted
            }
        }
        return cpu;
    }

    static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Seconds of CPU used between two samples (backends new in the second count from zero). */
    static double cpuDelta(Map<Integer, Long> before, Map<Integer, Long> after) {
        return after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum() / 1000.0;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout, long pollMillis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The naive relay: one thread, rows in id order, each sent synchronously and marked on its own
     * (what the issue calls the reference, and what many tutorials ship).
     */
    final class NaiveRelay {

        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread = new Thread(this::loop, "naive-relay");
        // Idempotent, acks=all like the relay's, but linger.ms=0: a synchronous per-row send must not
        // also wait out a batching delay, or the baseline is slower than a naive relay really is.
        private final Producer<String, byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, "naive",
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
                org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 0),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join();
            producer.close();
        }

        private void loop() {
            while (!stop.get()) {
                int found = 0;
                for (HikariDataSource ds : shards.values()) {
                    JdbcTemplate jdbc = new JdbcTemplate(ds);
                    var rows = jdbc.queryForList("""
                            SELECT event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version, schema_version,
                                   occurred_at, payload::text AS payload FROM outbox_events
                             WHERE published_at IS NULL ORDER BY event_id LIMIT 100""");
                    for (var row : rows) {
                        if (stop.get()) {
                            return;
                        }
                        byte[] value = JSON.writeValueAsBytes(row);
                        var record = new ProducerRecord<String, byte[]>((String) row.get("topic"), (String) row.get("aggregate_id"), value);
                        record.headers().add("eventId", row.get("event_id").toString().getBytes());
                        try {
                            producer.send(record).get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        jdbc.update("UPDATE outbox_events SET published_at = now() WHERE event_id = ?", row.get("event_id"));
                        found++;
                    }
                }
                if (found == 0) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    void close() {
        shards.values().forEach(HikariDataSource::close);
        if (relayDb != null) {
            relayDb.close();
        }
        broker.destroy();
        scope.close();
    }
}
