package io.distpatterns.order.config;

import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.order.persistence.OrderDirectory;
import io.distpatterns.platform.consumer.ConsumerProperties;
import io.distpatterns.platform.consumer.ProcessedEvents;
import io.distpatterns.platform.consumer.deadletter.DeadLetterConfiguration;
import io.distpatterns.platform.consumer.deadletter.DeadLetterStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Consumer support of the saga: processed event ids live on every shard (next to the orders they
 * change, in the same transaction); dead letters in the {@code order_directory} database.
 */
@Configuration
@Import(DeadLetterConfiguration.class)
class SagaConfiguration {

    @Bean
    ProcessedEvents processedEvents(ConsumerProperties properties, @Value("${spring.kafka.consumer.group-id}") String group) {
        return new ProcessedEvents(group, properties.processedEventsTtl(), Clock.systemUTC());
    }

    @Bean
    DeadLetterStore deadLetterStore(OrderDirectory directory, JsonMapper json) {
        return new DeadLetterStore(directory.dataSource(), json);
    }
}
