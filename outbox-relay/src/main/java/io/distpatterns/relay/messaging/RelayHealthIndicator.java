package io.distpatterns.relay.messaging;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code relay}: DOWN while Kafka does not take records (the relay backs off, rows stay pending),
 * UP otherwise; details name the sources, the partitions held and the last Kafka error. Not part
 * of readiness: Kafka being down degrades the relay, it does not make it unready or crash it.
 */
@Component("relay")
class RelayHealthIndicator extends AbstractHealthIndicator {

    private final OutboxRelay relay;

    RelayHealthIndicator(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        KafkaAvailability kafka = relay.kafka();
        builder.status(kafka.available() ? "UP" : "DOWN")
                .withDetail("sources", relay.sourceNames().stream().sorted().toList())
                .withDetail("partitionsHeld", relay.heldPartitions())
                .withDetail("liveInstances", relay.liveInstances());
        if (kafka.lastSuccess() != null) {
            builder.withDetail("lastAcknowledged", kafka.lastSuccess().toString());
        }
        if (!kafka.available()) {
            builder.withDetail("kafka", "unavailable since " + kafka.failingSince() + ": " + kafka.lastError());
        }
    }
}
