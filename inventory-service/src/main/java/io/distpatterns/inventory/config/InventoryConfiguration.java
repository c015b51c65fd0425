package io.distpatterns.inventory.config;

import java.time.Clock;

import io.micrometer.tracing.Tracer;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.consumer.ConsumerProperties;
import io.distpatterns.platform.consumer.ConsumerSchema;
import io.distpatterns.platform.consumer.ProcessedEvents;
import io.distpatterns.platform.consumer.deadletter.DeadLetterConfiguration;
import io.distpatterns.platform.consumer.deadletter.DeadLetterStore;
import io.distpatterns.platform.ids.IdGenerator;
import io.distpatterns.platform.outbox.OutboxSchema;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Traceparents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The shared libraries' tables live in the inventory database next to the service's own (each with
 * its own Flyway history); they are migrated here, after the service's Flyway (these beans take a
 * JdbcTemplate, which Boot orders after it) and before any listener starts.
 */
@Configuration
@EnableScheduling
@Import(DeadLetterConfiguration.class)
class InventoryConfiguration {

    @Bean
    OutboxWriter outboxWriter(JdbcTemplate jdbc, IdGenerator ids, JsonMapper json, ObjectProvider<Tracer> tracer) {
        OutboxSchema.migrate(jdbc.getDataSource());
        Tracer t = tracer.getIfAvailable();
        return new OutboxWriter(ids, json, t == null ? Traceparents.none() : Traceparents.of(t));
    }

    @Bean
    ProcessedEvents processedEvents(JdbcTemplate jdbc, ConsumerProperties properties,
                                    @Value("${spring.kafka.consumer.group-id}") String group) {
        ConsumerSchema.migrateProcessedEvents(jdbc.getDataSource());
        return new ProcessedEvents(group, properties.processedEventsTtl(), Clock.systemUTC());
    }

    @Bean
    DeadLetterStore deadLetterStore(JdbcTemplate jdbc, JsonMapper json) {
        return new DeadLetterStore(jdbc.getDataSource(), json);
    }
}
