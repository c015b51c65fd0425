package io.distpatterns.platform.postgres;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the platform's PostgreSQL server is, bound from {@code platform.pg.*}; the environment
 * variables {@code PLATFORM_PG_URL}, {@code PLATFORM_PG_USER} and {@code PLATFORM_PG_PASSWORD}
 * map onto it directly.
 *
 * @param url            JDBC URL of any database on the server, normally the maintenance
 *                       database {@code postgres}; its host, port and parameters are reused for
 *                       every database of the platform
 * @param user           user name (default {@code postgres})
 * @param password       password (default empty, for trust authentication)
 * @param database       the one database this service owns, or empty when it owns none or
 *                       manages several itself
 * @param databaseSuffix appended to every database name (tests: a unique suffix per test class)
 * @param maxPoolSize    connections per database pool
 */
@Validated
@ConfigurationProperties("platform.pg")
public record PostgresProperties(
        @DefaultValue(PostgresServer.DEFAULT_URL) @NotBlank @Pattern(regexp = "jdbc:postgresql://.+") String url,
        @DefaultValue("postgres") @NotBlank String user,
        @DefaultValue("") String password,
        @DefaultValue("") @Pattern(regexp = "|" + PostgresServer.DATABASE_NAME) String database,
        @DefaultValue("") @Pattern(regexp = "[a-z0-9_]{0,20}") String databaseSuffix,
        @DefaultValue("10") @Min(1) @Max(200) int maxPoolSize) {

    /** The server these properties point at. */
    public PostgresServer server() {
        return new PostgresServer(url, user, password);
    }

    /** The actual name of a logical database: the name plus {@link #databaseSuffix()}. */
    public String physicalName(String database) {
        return database + databaseSuffix;
    }
}
