package io.distpatterns.platform.postgres;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Exposes the {@link PostgresServer} and, when {@code platform.pg.database} names the service's
 * database, creates that database if it is missing and makes it the application's DataSource
 * (which Spring Boot's Flyway auto-configuration then migrates).
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(PostgresProperties.class)
public class PostgresAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PostgresAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    PostgresServer postgresServer(PostgresProperties properties) {
        return properties.server();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    @ConditionalOnExpression("!'${platform.pg.database:}'.isEmpty()")
    HikariDataSource dataSource(PostgresServer server, PostgresProperties properties) {
        String database = properties.physicalName(properties.database());
        if (server.createDatabaseIfMissing(database)) {
            log.info("Created database {} on {}", database, server.maintenanceUrl());
        }
        return server.dataSource(database, properties.maxPoolSize());
    }
}
