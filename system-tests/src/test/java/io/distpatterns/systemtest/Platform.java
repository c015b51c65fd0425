package io.distpatterns.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform as the README starts it: {@code bin/platform} with its own state directory (Kafka
 * data, logs, PIDs under {@code target/}) and its own databases (every database name gets
 * {@link #DATABASE_SUFFIX}), so a run starts empty and never touches a developer's local platform.
 * Single components are killed, stopped and started again through the same script.
 */
final class Platform {

    static final String DATABASE_SUFFIX = "_systest";
    static final String PG_URL = System.getenv().getOrDefault("PLATFORM_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getenv().getOrDefault("PLATFORM_PG_USER", "postgres");
    static final String PG_PASSWORD = System.getenv().getOrDefault("PLATFORM_PG_PASSWORD", "");

    private final Path root;
    private final Path stateDir;
    private final Path commandLog;
    private final Map<String, String> environment;

    Platform(Path root, Path stateDir, Path commandLog, Map<String, ?> serviceSettings) {
        this.root = root;
        this.stateDir = stateDir;
        this.commandLog = commandLog;
        this.environment = Map.of(
                "PLATFORM_STATE_DIR", stateDir.toString(),
                "PLATFORM_PG_URL", PG_URL,
                "PLATFORM_PG_USER", PG_USER,
                "PLATFORM_PG_PASSWORD", PG_PASSWORD,
                "PLATFORM_PG_DATABASESUFFIX", DATABASE_SUFFIX,
                "SPRING_APPLICATION_JSON", Json.write(serviceSettings));
    }

    /** Drops the databases of an earlier run and Kafka's data, then {@code bin/platform up}. */
    void upFromScratch() throws Exception {
        Files.createDirectories(commandLog.getParent());
        run(Duration.ofMinutes(2), "down");
        deleteRecursively(stateDir.resolve("kafka"));
        for (String database : databases()) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        run(Duration.ofMinutes(25), "up");
    }

    void down() throws Exception {
        run(Duration.ofMinutes(3), "down");
    }

    String start(String component) throws Exception {
        return run(Duration.ofMinutes(6), "start", component);
    }

    String stop(String component) throws Exception {
        return run(Duration.ofMinutes(1), "stop", component);
    }

    String kill(String component) throws Exception {
        return run(Duration.ofMinutes(1), "kill", component);
    }

    /** The databases this run's services created (their names end with the suffix). */
    List<String> databases() throws SQLException {
        return databasesLike("%");
    }

    /** This run's databases whose name (before the suffix) is LIKE {@code pattern}. */
    static List<String> databasesLike(String pattern) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
             var ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY datname")) {
            ps.setString(1, pattern + DATABASE_SUFFIX);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * Makes a database unreachable as a lost server would be: no new connection is allowed, the
     * open ones are terminated. {@code reachable(db, true)} lets connections in again.
     */
    void reachable(String database, boolean reachable) throws SQLException {
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + reachable);
        if (!reachable) {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        }
    }

    /**
     * Waits until a running service's readiness answers UP (its readiness group includes what it depends
     * on, for order-service every shard), at most {@code bound}; says how long that took.
     */
    String awaitReady(String component, int port, Duration bound) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        long started = System.currentTimeMillis();
        while (System.currentTimeMillis() - started < bound.toMillis()) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return "readiness UP after " + (System.currentTimeMillis() - started) + " ms";
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(500);
        }
        return component + " readiness still not UP after " + bound.toSeconds() + " s";
    }

    Path log(String component) {
        return stateDir.resolve("logs").resolve(component + ".log");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String run(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/platform").toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("platform-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean done = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        Files.writeString(commandLog, "$ bin/platform " + String.join(" ", args) + "\n" + text,
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (!done || process.exitValue() != 0) {
            throw new IllegalStateException("bin/platform " + String.join(" ", args)
                    + (done ? " exited with " + process.exitValue() : " did not finish in " + timeout) + ":\n" + text);
        }
        return text.strip();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
