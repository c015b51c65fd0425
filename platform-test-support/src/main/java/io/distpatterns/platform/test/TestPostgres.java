package io.distpatterns.platform.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import io.distpatterns.platform.postgres.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL server the tests of this JVM use, found once:
 *
 * <ol>
 *   <li>{@code PLATFORM_PG_URL} (with {@code PLATFORM_PG_USER}, {@code PLATFORM_PG_PASSWORD}) if set;</li>
 *   <li>else the local server at 127.0.0.1:5432 (user postgres) if it accepts connections;</li>
 *   <li>else a Testcontainers PostgreSQL if a Docker engine answers;</li>
 *   <li>else an embedded PostgreSQL (io.zonky), started in-process.</li>
 * </ol>
 *
 * Containers and embedded servers live until the JVM exits.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static volatile PostgresServer server;

    private TestPostgres() {
    }

    /** The server, starting one if needed. */
    public static PostgresServer server() {
        PostgresServer s = server;
        if (s == null) {
            synchronized (TestPostgres.class) {
                s = server;
                if (s == null) {
                    s = locate();
                    server = s;
                }
            }
        }
        return s;
    }

    /** Whether a Docker engine answers on this machine. */
    public static boolean dockerAvailable() {
        boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        String dockerHost = System.getenv("DOCKER_HOST");
        if (!socket && (dockerHost == null || dockerHost.isBlank())) {
            return false; // spare Testcontainers' long error report when there is plainly no engine
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static PostgresServer locate() {
        String url = System.getenv("PLATFORM_PG_URL");
        if (url != null && !url.isBlank()) {
            String user = envOr("PLATFORM_PG_USER", "postgres");
            log.info("Tests use PostgreSQL from PLATFORM_PG_URL: {}", url);
            return new PostgresServer(url, user, envOr("PLATFORM_PG_PASSWORD", ""));
        }
        if (answers("127.0.0.1", 5432)) {
            log.info("Tests use the local PostgreSQL server at 127.0.0.1:5432");
            return new PostgresServer(PostgresServer.DEFAULT_URL, "postgres", "");
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            log.info("Tests use a Testcontainers PostgreSQL: {}", container.getJdbcUrl());
            return new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            String jdbcUrl = embedded.getJdbcUrl("postgres", "postgres");
            log.info("Tests use an embedded PostgreSQL: {}", jdbcUrl);
            return new PostgresServer(jdbcUrl, "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("No PostgreSQL for tests: PLATFORM_PG_URL is not set, nothing answers on "
                    + "127.0.0.1:5432, no Docker engine answers, and the embedded PostgreSQL failed to start. "
                    + "Set PLATFORM_PG_URL=jdbc:postgresql://host:port/postgres (and PLATFORM_PG_USER, "
                    + "PLATFORM_PG_PASSWORD) to a server the tests may create databases on.", e);
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
