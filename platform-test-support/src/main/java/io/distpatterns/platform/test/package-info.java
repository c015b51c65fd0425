/**
 * Real infrastructure for the platform's integration tests, and the architecture rules every
 * module checks.
 *
 * <p>{@link io.distpatterns.platform.test.TestPostgres} finds a real PostgreSQL server once per
 * JVM: {@code PLATFORM_PG_URL} if set, else the local server on 127.0.0.1:5432, else a
 * Testcontainers container when a Docker engine answers, else an embedded PostgreSQL.
 * {@link io.distpatterns.platform.test.IsolatedDatabases} on a Spring test class gives that class
 * databases of its own (the service creates them on start with a unique suffix) and drops them
 * when its application context closes. Kafka comes from spring-kafka-test's embedded KRaft
 * broker ({@code @EmbeddedKafka}). {@link io.distpatterns.platform.test.PlatformArchitectureRules}
 * holds the ArchUnit rules.
 */
package io.distpatterns.platform.test;
