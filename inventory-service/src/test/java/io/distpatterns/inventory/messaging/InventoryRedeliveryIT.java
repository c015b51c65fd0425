package io.distpatterns.inventory.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.distpatterns.inventory.domain.Product;
import io.distpatterns.inventory.service.StockService;
import io.distpatterns.platform.test.IsolatedDatabases;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static io.distpatterns.inventory.messaging.OrderEventsMother.newOrderId;
import static io.distpatterns.inventory.messaging.OrderEventsMother.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A consumer that dies after its effect committed but before its offset did: the redelivery has no second effect. */
@SpringBootTest(properties = "spring.kafka.listener.auto-startup=false")
@IsolatedDatabases
@EmbeddedKafka(partitions = 1, topics = {"orders.events", "orders.events.DLT"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class InventoryRedeliveryIT {

    @Autowired
    KafkaTemplate<String, String> kafka;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    OrderEventsListener listener;
    @Autowired
    StockService stock;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    @Test
    void consumerDyingBetweenEffectAndOffsetCommitCompletesOnceOnRedelivery() throws Exception {
        String sku = "redelivered-" + newOrderId();
        stock.create(sku, "R", 10, "test");
        String order = newOrderId();
        kafka.send(new ProducerRecord<>("orders.events", order, placed(order, Map.of(sku, 4)))).get();

        try (var dying = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "inventory-service",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            dying.subscribe(List.of("orders.events"));
            ConsumerRecord<String, String> record = null;
            for (int i = 0; i < 60 && record == null; i++) {
                var polled = dying.poll(Duration.ofSeconds(1));
                record = polled.isEmpty() ? null : polled.iterator().next();
            }
            assertThat(record).isNotNull();
            listener.onMessage(record); // the effect commits; the process dies before committing the offset
        }
        assertThat(stock.get(sku).reserved()).isEqualTo(4);

        String marker = newOrderId();
        kafka.send(new ProducerRecord<>("orders.events", order, placed(marker, Map.of(sku, 1)))).get();
        listeners.getListenerContainer("inventory-order-events").start();

        await().atMost(Duration.ofSeconds(60)).until(() -> outbox(marker) == 1);
        assertThat(outbox(order)).isEqualTo(1);
        assertThat(stock.get(sku)).isEqualTo(new Product(sku, "R", 5, 5, 0));
    }

    private int outbox(String orderId) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox_events WHERE aggregate_id = ? AND event_type = 'StockReserved'",
                Integer.class, orderId);
    }
}
