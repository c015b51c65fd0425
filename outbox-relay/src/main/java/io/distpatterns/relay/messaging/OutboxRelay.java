package io.distpatterns.relay.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.relay.config.RelayProperties;
import io.distpatterns.relay.domain.OrderedBatch;
import io.distpatterns.relay.domain.OutboxRow;
import io.distpatterns.relay.domain.PollBackoff;
import io.distpatterns.relay.persistence.OutboxSource;
import io.distpatterns.relay.persistence.PartitionLeases;
import io.distpatterns.relay.persistence.SourceCatalog;

/**
 * The outbox relay of one instance: publishes every outbox of the {@link SourceCatalog} to Kafka,
 * at least once, in commit order per aggregate, for the partitions it holds leases on.
 *
 * <p>One worker thread per source repeats a cycle: read a window of sendable rows of the held
 * partitions ({@link OutboxSource#window}), cut it into per-aggregate version chains
 * ({@link OrderedBatch}), send every row asynchronously, wait for Kafka's acknowledgements, then
 * mark published exactly the acknowledged rows (per aggregate only the acknowledged prefix of its
 * chain, so a failure never lets a later version count as done before an earlier one). A row Kafka
 * refuses for itself counts an attempt and is parked after {@code maxAttempts}; a failure about
 * Kafka pauses every worker with a growing backoff and leaves the rows pending.
 * A separate thread keeps the leases ({@link LeaseKeeper}); another refreshes the sources (new
 * shards), reads the per-source figures and deletes published rows in bounded batches.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final RelayProperties settings;
    private final SourceCatalog catalog;
    private final EventPublisher publisher;
    private final LeaseKeeper keeper;
    private final MeterRegistry registry;
    private final KafkaAvailability kafka;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<String, SourceMetrics> metrics = new ConcurrentHashMap<>();
    private final ScheduledExecutorService leaseThread = Executors.newSingleThreadScheduledExecutor(daemon("relay-leases"));
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("relay-housekeeping"));
    private volatile boolean running;

    public OutboxRelay(RelayProperties settings, SourceCatalog catalog, PartitionLeases leases, EventPublisher publisher,
                       MeterRegistry registry) {
        this.settings = settings;
        this.catalog = catalog;
        this.publisher = publisher;
        this.registry = registry;
        this.keeper = new LeaseKeeper(leases, settings.instanceId(), settings.leaseTtl());
        this.kafka = new KafkaAvailability(settings.kafkaMaxBackoff());
        Gauge.builder("relay.partitions.held", keeper, k -> k.held().size())
                .description("Partitions this instance holds a lease on").register(registry);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        long leaseRound = Math.max(50, settings.leaseTtl().toMillis() / 3);
        leaseThread.scheduleWithFixedDelay(() -> guarded("lease round", keeper::round), 0, leaseRound, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> guarded("source refresh", this::refreshSources), 0,
                settings.sourceRefreshInterval().toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> guarded("outbox figures", this::readFigures), 0,
                settings.metricsInterval().toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> guarded("clean-up", this::cleanup), settings.cleanupInterval().toMillis(),
                settings.cleanupInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Outbox relay {} started: {} partitions, batches of {}", settings.instanceId(), settings.partitions(),
                settings.batchSize());
    }

    /** Stops the workers (their current cycle finishes), then gives back every lease. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        housekeeping.shutdownNow();
        workers.values().forEach(Worker::stop);
        workers.values().forEach(Worker::join);
        leaseThread.shutdown();
        try {
            leaseThread.awaitTermination(5, TimeUnit.SECONDS);
            keeper.releaseAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Could not give back the leases: {} (they expire on their own)", e.getMessage());
        }
    }

    /**
     * Stops every thread without giving back leases or waiting: what {@code kill -9} leaves behind,
     * for tests of the recovery path.
     */
    public void abandon() {
        running = false;
        leaseThread.shutdownNow();
        housekeeping.shutdownNow();
        workers.values().forEach(Worker::stop);
    }

    void refreshSources() {
        for (OutboxSource source : catalog.refresh()) {
            SourceMetrics m = metrics.computeIfAbsent(source.name(), n -> new SourceMetrics(registry, n));
            Worker worker = new Worker(source, m);
            workers.put(source.name(), worker);
            worker.start();
        }
    }

    private void readFigures() {
        for (OutboxSource source : catalog.sources()) {
            try {
                metrics.get(source.name()).figures = source.stats();
            } catch (RuntimeException e) {
                log.debug("Cannot read the figures of {}: {}", source.name(), e.getMessage());
            }
        }
    }

    private void cleanup() {
        for (OutboxSource source : catalog.sources()) {
            try {
                long deleted = source.cleanup(settings.publishedRetention(), settings.cleanupBatchSize(), 20);
                if (deleted > 0) {
                    metrics.get(source.name()).cleaned.increment(deleted);
                }
            } catch (RuntimeException e) {
                log.warn("Clean-up of {} failed: {}", source.name(), e.getMessage());
            }
        }
    }

    public KafkaAvailability kafka() {
        return kafka;
    }

    public Set<Integer> heldPartitions() {
        return keeper.held();
    }

    public int liveInstances() {
        return keeper.liveInstances();
    }

    public Collection<String> sourceNames() {
        return workers.keySet();
    }

    /** One cycle on one source; returns the number of rows read. */
    int cycle(OutboxSource source, SourceMetrics m) {
        Map<Integer, LeaseKeeper.Lease> usable = keeper.usable();
        if (usable.isEmpty()) {
            return 0;
        }
        List<OutboxRow> rows = source.window(settings.partitions(), usable.keySet(), settings.batchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        OrderedBatch batch = OrderedBatch.of(rows);
        if (!batch.missing().isEmpty()) {
            List<OutboxRow> all = new ArrayList<>(rows);
            for (OrderedBatch.Gap gap : batch.missing()) {
                all.addAll(source.versions(settings.partitions(), gap.aggregate(), gap.from(), gap.to()));
            }
            batch = OrderedBatch.of(all);
        }

        List<List<Sent>> chains = new ArrayList<>();
        Map<OutboxRow, Throwable> refused = new LinkedHashMap<>();
        send:
        for (List<OutboxRow> chain : batch.chains()) {
            List<Sent> sent = new ArrayList<>(chain.size());
            chains.add(sent);
            for (OutboxRow row : chain) {
                LeaseKeeper.Lease lease = usable.get(row.partition());
                if (lease == null || !keeper.stillValid(row.partition(), lease.token())) {
                    continue send; // the lease ran out during this cycle: its next owner sends the rest
                }
                CompletableFuture<RecordMetadata> ack;
                try {
                    ack = publisher.send(source.name(), row);
                } catch (UnpublishableEventException e) {
                    refused.put(row, e);
                    continue send;
                }
                sent.add(new Sent(row, ack));
                if (ack.isCompletedExceptionally() && !isAboutTheRecord(ack.handle((r, e) -> e).getNow(null))) {
                    break send; // Kafka is unreachable (no metadata): do not wait again for every row
                }
            }
        }

        if (!chains.isEmpty()) {
            publisher.flush(); // the window is batched: do not wait out linger.ms for its last batch
        }
        List<Long> acked = new ArrayList<>();
        Throwable kafkaError = null;
        long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos() + 5_000_000_000L;
        for (List<Sent> chain : chains) {
            boolean broken = false;
            for (Sent s : chain) {
                Throwable error = await(s.ack(), deadline);
                if (error == null && !broken) {
                    acked.add(s.row().eventId());
                    continue;
                }
                if (error != null && !broken) {
                    if (isAboutTheRecord(error)) {
                        refused.put(s.row(), error);
                    } else {
                        kafkaError = error;
                    }
                }
                broken = true; // later versions of this aggregate are not marked: they are sent again after it
            }
        }

        source.markPublished(acked);
        m.published.increment(acked.size());
        if (!acked.isEmpty()) {
            kafka.succeeded();
        }
        for (var refusal : refused.entrySet()) {
            OutboxRow row = refusal.getKey();
            m.failures.increment();
            String error = refusal.getValue().getClass().getSimpleName() + ": " + refusal.getValue().getMessage();
            if (source.recordFailure(row.eventId(), error, settings.maxAttempts())) {
                log.error("Parked event {} of {} {} v{} in {} after {} attempts: {}", row.eventId(), row.aggregateType(),
                        row.aggregateId(), row.aggregateVersion(), source.name(), settings.maxAttempts(), error);
            }
        }
        if (kafkaError != null) {
            m.failures.increment();
            kafka.failed(kafkaError);
            log.warn("Kafka did not take records from {}: {}; backing off", source.name(), kafkaError.toString());
        }
        return rows.size();
    }

    private static Throwable await(CompletableFuture<RecordMetadata> ack, long deadlineNanos) {
        try {
            ack.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Errors that are about the record (retrying it cannot help); anything else is about Kafka. */
    static boolean isAboutTheRecord(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException || error instanceof SerializationException
                || error instanceof UnpublishableEventException;
    }

    private record Sent(OutboxRow row, CompletableFuture<RecordMetadata> ack) {
    }

    /** Per-source meters, tagged {@code source}. */
    static final class SourceMetrics {

        final Counter published;
        final Counter failures;
        final Counter cleaned;
        volatile OutboxSource.Stats figures = new OutboxSource.Stats(0, 0, 0);

        SourceMetrics(MeterRegistry registry, String source) {
            published = Counter.builder("outbox.published").tag("source", source)
                    .description("Events acknowledged by Kafka and marked published").register(registry);
            failures = Counter.builder("outbox.publish.failures").tag("source", source)
                    .description("Failed sends: refused records and Kafka unavailable").register(registry);
            cleaned = Counter.builder("outbox.cleaned").tag("source", source)
                    .description("Published rows deleted by clean-up").register(registry);
            Gauge.builder("outbox.pending.events", this, m -> m.figures.pending()).tag("source", source)
                    .description("Unpublished rows, parked ones included").strongReference(true).register(registry);
            Gauge.builder("outbox.oldest.pending.age", this, m -> m.figures.oldestAgeSeconds()).tag("source", source)
                    .baseUnit("seconds").description("Age of the oldest unpublished event").strongReference(true)
                    .register(registry);
            Gauge.builder("outbox.parked.events", this, m -> m.figures.parked()).tag("source", source)
                    .description("Rows parked after their attempts; their aggregates wait behind them")
                    .strongReference(true).register(registry);
        }
    }

    private final class Worker implements Runnable {

        private final OutboxSource source;
        private final SourceMetrics metrics;
        private final PollBackoff backoff = new PollBackoff(settings.minPollInterval(), settings.maxPollInterval());
        private final Thread thread;
        private volatile boolean stopped;

        Worker(OutboxSource source, SourceMetrics metrics) {
            this.source = source;
            this.metrics = metrics;
            this.thread = new Thread(this, "relay-" + source.name());
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }

        void join() {
            try {
                thread.join(settings.deliveryTimeout().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            while (!stopped && running) {
                long kafkaPause = kafka.pauseNanos();
                if (kafkaPause > 0) {
                    LockSupport.parkNanos(kafkaPause);
                    continue;
                }
                int found;
                var lock = keeper.cycleLock();
                lock.lock();
                try {
                    found = cycle(source, metrics);
                } catch (RuntimeException e) {
                    log.warn("Relay cycle on {} failed: {}", source.name(), e.toString());
                    found = 0;
                } finally {
                    lock.unlock();
                }
                long pause = backoff.nextPauseNanos(found, settings.batchSize());
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
            }
        }
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("Relay {} failed: {}", what, e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
