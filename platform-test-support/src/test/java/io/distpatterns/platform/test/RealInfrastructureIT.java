package io.distpatterns.platform.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.distpatterns.platform.postgres.PostgresServer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves the two real pieces of test infrastructure work: PostgreSQL with Flyway, and a KRaft Kafka broker. */
class RealInfrastructureIT {

    @Test
    void writesAndReadsRowThroughFlywayMigratedSchemaInOwnDatabase() {
        String database;
        try (DatabaseScope scope = DatabaseScope.open()) {
            database = scope.database("probe");
            scope.server().createDatabaseIfMissing(database);

            assertThat(writeAndReadProbe(scope.server(), database)).isEqualTo("written through flyway schema");
            assertThat(scope.databases()).containsExactly(database);
        }

        assertThat(TestPostgres.server().databaseExists(database)).isFalse();
    }

    @Test
    @EnabledIf("io.distpatterns.platform.test.TestPostgres#dockerAvailable")
    void writesAndReadsRowInTestcontainersPostgresWhenDockerAnswers() {
        try (PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine")) {
            container.start();
            var server = new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            server.createDatabaseIfMissing("probe");

            assertThat(writeAndReadProbe(server, "probe")).isEqualTo("written through flyway schema");
        }
    }

    @Test
    void producesAndConsumesRecordThroughEmbeddedKraftBroker() throws Exception {
        var broker = new EmbeddedKafkaKraftBroker(1, 1, "foundation.probe");
        broker.afterPropertiesSet();
        try {
            String servers = broker.getBrokersAsString();
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("foundation.probe", "order-42", "OrderPlaced")).get();
            }

            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ConsumerConfig.GROUP_ID_CONFIG, "foundation-probe",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("foundation.probe"));
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    records = consumer.poll(Duration.ofMillis(500));
                }

                assertThat(records.count()).isEqualTo(1);
                var record = records.iterator().next();
                assertThat(record.key()).isEqualTo("order-42");
                assertThat(record.value()).isEqualTo("OrderPlaced");
            }
        } finally {
            broker.destroy();
        }
    }

    private static String writeAndReadProbe(PostgresServer server, String database) {
        try (HikariDataSource dataSource = server.dataSource(database, 2)) {
            var result = Flyway.configure().dataSource(dataSource).locations("classpath:db/probe").load().migrate();
            assertThat(result.migrationsExecuted).isEqualTo(1);

            JdbcTemplate jdbc = new JdbcTemplate((DataSource) dataSource);
            jdbc.update("INSERT INTO probes (id, label) VALUES (?, ?)", 1L, "written through flyway schema");
            return jdbc.queryForObject("SELECT label FROM probes WHERE id = ?", String.class, 1L);
        }
    }
}
