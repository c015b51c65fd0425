package io.distpatterns.relay.config;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.postgres.PostgresProperties;
import io.distpatterns.platform.postgres.PostgresServer;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMapClient;
import io.distpatterns.relay.messaging.EventPublisher;
import io.distpatterns.relay.messaging.OutboxRelay;
import io.distpatterns.relay.persistence.PartitionLeases;
import io.distpatterns.relay.persistence.SourceCatalog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

@Configuration
class RelayConfiguration {

    /** Configured instance id, else host, pid and a random tag (unique per start). */
    static String instanceId(RelayProperties properties) {
        if (properties.instanceId() != null && !properties.instanceId().isBlank()) {
            return properties.instanceId();
        }
        return ManagementFactory.getRuntimeMXBean().getName().replace('@', '-') + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    /** The order shards of shard-router's current map (or orders_shard_0..n-1 without it), plus the configured sources. */
    @Bean(destroyMethod = "close")
    SourceCatalog sourceCatalog(PostgresServer server, PostgresProperties postgres, RelayProperties relay,
                                ObjectProvider<ShardMapClient> router) {
        ShardMapClient client = router.getIfAvailable();
        Supplier<Set<String>> names = () -> {
            Set<String> all = new LinkedHashSet<>();
            if (client != null) {
                client.current().ifPresent(map -> map.shards().stream().map(Shard::location).forEach(all::add));
            } else {
                for (int i = 0; i < relay.orderShardCount(); i++) {
                    all.add("orders_shard_" + i);
                }
            }
            all.addAll(relay.sources());
            return all;
        };
        return new SourceCatalog(server, names, postgres::physicalName, 4);
    }

    @Bean
    @DependsOn("flywayInitializer")
    PartitionLeases partitionLeases(DataSource relayDatabase, RelayProperties relay) {
        PartitionLeases leases = new PartitionLeases(relayDatabase, relay.partitions());
        leases.initialize();
        return leases;
    }

    @Bean(destroyMethod = "close")
    EventPublisher eventPublisher(@Value("${spring.kafka.bootstrap-servers}") String bootstrap, RelayProperties relay,
                                  JsonMapper json, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new EventPublisher(EventPublisher.producer(bootstrap, "outbox-relay", relay.maxMessageBytes(), relay.deliveryTimeout()),
                json, tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP),
                relay.maxMessageBytes());
    }

    @Bean
    OutboxRelay outboxRelay(RelayProperties relay, SourceCatalog catalog, PartitionLeases leases, EventPublisher publisher,
                            MeterRegistry registry) {
        RelayProperties named = new RelayProperties(instanceId(relay), relay.sources(), relay.orderShardCount(),
                relay.partitions(), relay.leaseTtl(), relay.batchSize(), relay.minPollInterval(), relay.maxPollInterval(),
                relay.maxAttempts(), relay.maxMessageBytes(), relay.deliveryTimeout(), relay.kafkaMaxBackoff(),
                relay.sourceRefreshInterval(), relay.metricsInterval(), relay.cleanupInterval(),
                relay.publishedRetention(), relay.cleanupBatchSize());
        return new OutboxRelay(named, catalog, leases, publisher, registry);
    }

    /** Starts the relay once the context is up and stops it (leases given back) before the pools close. */
    @Bean
    SmartLifecycle outboxRelayLifecycle(OutboxRelay relay) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                relay.start();
                running = true;
            }

            @Override
            public void stop() {
                relay.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
