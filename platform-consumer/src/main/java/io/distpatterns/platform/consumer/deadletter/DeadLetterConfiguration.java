package io.distpatterns.platform.consumer.deadletter;

import jakarta.validation.Validator;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.consumer.ConsumerErrorHandling;
import io.distpatterns.platform.consumer.ConsumerProperties;
import io.distpatterns.platform.consumer.Envelopes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * What a consuming service imports ({@code @Import(DeadLetterConfiguration.class)}) after declaring
 * its {@link DeadLetterStore} bean: the envelope reader, the error handler Boot's listener container
 * factory picks up, the dead-letter collector, admin API and metrics. Properties:
 * {@code platform.consumer.*} ({@link ConsumerProperties}); {@code spring.kafka.consumer.group-id}
 * names the service's group.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsumerProperties.class)
public class DeadLetterConfiguration {

    @Bean
    Envelopes envelopes(JsonMapper json, Validator validator) {
        return new Envelopes(json, validator);
    }

    @Bean
    DefaultErrorHandler consumerErrorHandler(KafkaTemplate<String, String> kafka, ConsumerProperties properties) {
        return ConsumerErrorHandling.deadLettering(kafka, properties.retry());
    }

    @Bean
    DeadLetterAdmin deadLetterAdmin(DeadLetterStore store, KafkaTemplate<String, String> kafka, ConsumerProperties properties,
                                    MeterRegistry meters) {
        return new DeadLetterAdmin(store, kafka, properties.deadLetters().replayPerSecond(),
                properties.deadLetters().replayBatchMax(), meters);
    }

    @Bean
    DeadLetterCollector deadLetterCollector(DeadLetterStore store, DeadLetterAdmin admin, Envelopes envelopes,
                                            @Value("${spring.kafka.consumer.group-id}") String group) {
        return new DeadLetterCollector(store, admin, envelopes, group);
    }

    @Bean
    DeadLetterController deadLetterController(DeadLetterStore store, DeadLetterAdmin admin) {
        return new DeadLetterController(store, admin);
    }
}
