package io.distpatterns.relay.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.outbox.NewEvent;
import io.distpatterns.platform.outbox.OutboxSchema;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Topics;
import io.distpatterns.platform.test.DatabaseScope;
import io.distpatterns.relay.config.RelayProperties;
import io.distpatterns.relay.persistence.PartitionLeases;
import io.distpatterns.relay.persistence.SourceCatalog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real infrastructure for relay tests: outbox databases written by the platform's
 * {@link OutboxWriter}, the relay's lease database, an embedded KRaft broker, and relays built
 * the way the application builds them.
 */
final class RelayFixture implements AutoCloseable {

    static final List<String> SOURCES = List.of("orders_shard_0", "orders_shard_1");
    static final JsonMapper JSON = JsonMapper.builder().build();

    final DatabaseScope scope = DatabaseScope.open();
    final EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4, Topics.ORDERS_EVENTS, Topics.INVENTORY_EVENTS);
    final HikariDataSource relayDatabase;
    final Map<String, HikariDataSource> outboxes = new java.util.LinkedHashMap<>();
    final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 10);
    final OutboxWriter writer = new OutboxWriter(ids::incrementAndGet, JSON,
            () -> "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    RelayFixture() {
        broker.afterPropertiesSet();
        for (String source : SOURCES) {
            String db = scope.database(source);
            scope.server().createDatabaseIfMissing(db);
            HikariDataSource ds = scope.server().dataSource(db, 12);
            OutboxSchema.migrate(ds);
            outboxes.put(source, ds);
        }
        String relayDb = scope.database("outbox_relay");
        scope.server().createDatabaseIfMissing(relayDb);
        relayDatabase = scope.server().dataSource(relayDb, 4);
        Flyway.configure().dataSource(relayDatabase).locations("classpath:db/migration").load().migrate();
    }

    String bootstrap() {
        return broker.getBrokersAsString();
    }

    RelayProperties settings(String instance) {
        return RelayProperties.defaults(instance).withLeaseTtl(Duration.ofSeconds(2)).withBatchSize(500);
    }

    OutboxRelay relay(RelayProperties settings) {
        return relay(settings, bootstrap());
    }

    OutboxRelay relay(RelayProperties settings, String bootstrap) {
        SourceCatalog catalog = new SourceCatalog(scope.server(), () -> Set.copyOf(SOURCES), scope::database, 4);
        PartitionLeases leases = new PartitionLeases(relayDatabase, settings.partitions());
        leases.initialize();
        EventPublisher publisher = new EventPublisher(EventPublisher.producer(bootstrap, settings.instanceId(),
                settings.maxMessageBytes(), settings.deliveryTimeout()), JSON, Tracer.NOOP, Propagator.NOOP,
                settings.maxMessageBytes());
        OutboxRelay relay = new OutboxRelay(settings, catalog, leases, publisher, new SimpleMeterRegistry());
        relays.add(relay);
        closeables.add(publisher);
        closeables.add(catalog);
        relay.start();
        return relay;
    }

    TransactionTemplate tx(String source) {
        return new TransactionTemplate(new DataSourceTransactionManager(outboxes.get(source)));
    }

    JdbcTemplate jdbc(String source) {
        return new JdbcTemplate(outboxes.get(source));
    }

    long write(String source, String aggregateId, Object payload) {
        return tx(source).execute(s -> writer.append(outboxes.get(source), event(aggregateId, payload)));
    }

    static NewEvent event(String aggregateId, Object payload) {
        return new NewEvent(Topics.ORDERS_EVENTS, "OrderPlaced", "Order", aggregateId, 1, Instant.now(), payload);
    }

    /** Every record on orders.events whose key matches, read from the start until {@code done} holds or 90 s pass. */
    List<ConsumerRecord<String, String>> consume(Predicate<String> key, Predicate<List<ConsumerRecord<String, String>>> done) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + ids.incrementAndGet(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ORDERS_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!done.test(seen) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.test(record.key())) {
                        seen.add(record);
                    }
                }
            }
        }
        return seen;
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static long distinctEvents(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> header(r, "eventId")).distinct().count();
    }

    void closeRelays() {
        relays.forEach(OutboxRelay::close);
        relays.clear();
    }

    long published(String aggregatePrefix) {
        return SOURCES.stream().mapToLong(s -> jdbc(s).queryForObject(
                "SELECT count(*) FROM outbox_events WHERE published_at IS NOT NULL AND aggregate_id LIKE ?",
                Long.class, aggregatePrefix + "%")).sum();
    }

    @Override
    public void close() {
        relays.forEach(OutboxRelay::close);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        outboxes.values().forEach(HikariDataSource::close);
        relayDatabase.close();
        broker.destroy();
        scope.close();
    }
}
