package io.distpatterns.platform.ids;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.flywaydb.core.Flyway;

import io.distpatterns.platform.postgres.PostgresAutoConfiguration;
import io.distpatterns.platform.postgres.PostgresProperties;
import io.distpatterns.platform.postgres.PostgresServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code platform.ids.enabled=true}: creates and migrates the lease database if needed, leases
 * a worker ID and exposes a {@link LeasedIdGenerator} (an {@link IdGenerator}) plus its metrics:
 * {@code snowflake.time.exhausted} (when the time bits run out, epoch seconds),
 * {@code snowflake.worker.id}, {@code snowflake.ids.issued}, {@code snowflake.clock.backwards}.
 */
@AutoConfiguration(after = PostgresAutoConfiguration.class)
@ConditionalOnProperty(prefix = "platform.ids", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(IdsProperties.class)
public class IdsAutoConfiguration {

    @Bean(destroyMethod = "close")
    LeaseDatabase snowflakeLeaseDatabase(PostgresServer server, PostgresProperties postgres, IdsProperties ids) {
        String database = postgres.physicalName(ids.database());
        server.createDatabaseIfMissing(database);
        HikariDataSource dataSource = server.dataSource(database, 2);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/snowflake")
                .table("snowflake_schema_history").load().migrate();
        return new LeaseDatabase(dataSource);
    }

    @Bean(destroyMethod = "close")
    LeasedIdGenerator snowflakeIdGenerator(LeaseDatabase database, IdsProperties ids,
                                           @Value("${spring.application.name:app}") String application) {
        var leases = new PostgresWorkerLeases(database.dataSource(), ids.minWorkerId(), ids.maxWorkerId());
        var lease = WorkerIdLease.acquire(leases, owner(application), ids.leaseTtl(), ids.safetyMargin(),
                ids.heartbeat(), TimeSource.SYSTEM);
        return new LeasedIdGenerator(lease, TimeSource.SYSTEM, ids.clockTolerance().toMillis());
    }

    @Bean
    MeterBinder snowflakeMetrics(LeasedIdGenerator ids) {
        return registry -> {
            Gauge.builder("snowflake.time.exhausted", () -> SnowflakeLayout.exhaustedAt().getEpochSecond())
                    .description("When the 41 time bits run out (" + SnowflakeLayout.exhaustedAt() + "), epoch seconds")
                    .baseUnit("seconds").register(registry);
            Gauge.builder("snowflake.time.remaining", () -> Duration.between(Instant.now(), SnowflakeLayout.exhaustedAt()).toDays())
                    .description("Days until the time bits run out").baseUnit("days").register(registry);
            Gauge.builder("snowflake.worker.id", ids, g -> g.generator().workerId())
                    .description("The leased worker ID").register(registry);
            FunctionCounter.builder("snowflake.ids.issued", ids, g -> g.generator().issuedCount())
                    .description("IDs issued").register(registry);
            FunctionCounter.builder("snowflake.clock.backwards", ids, g -> g.generator().clockBackwardsCount())
                    .description("Requests refused because the clock stepped back beyond the tolerance").register(registry);
        };
    }

    private static String owner(String application) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return application + "@" + host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** The lease database's pool, closed after the generator has released its worker ID. */
    record LeaseDatabase(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }
}
