/**
 * PostgreSQL plumbing shared by the services: one server, many databases.
 *
 * <p>{@link io.distpatterns.platform.postgres.PostgresServer} knows the server (from
 * {@code PLATFORM_PG_URL}, {@code PLATFORM_PG_USER}, {@code PLATFORM_PG_PASSWORD}), derives the
 * JDBC URL of any database on it, creates a database when it is missing (so nobody runs SQL by
 * hand) and builds pooled DataSources. A service that owns one database names it with
 * {@code platform.pg.database}; the auto-configuration then creates it if needed and exposes it
 * as the application's DataSource, which Spring Boot's Flyway migrates. A service with several
 * databases (order-service's shards) builds them itself from the same {@code PostgresServer}.
 * {@code platform.pg.database-suffix} is appended to every database name: tests use it to give
 * each test class databases of its own.
 */
package io.distpatterns.platform.postgres;
