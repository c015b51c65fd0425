package io.distpatterns.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository these tests check, and what its services read: their ports, their environment
 * variables (scanned from their configuration, so a variable added to a service fails the
 * deployment tests until compose and Kubernetes set it too).
 */
final class Repo {

    /** The platform's services: module name to HTTP port (docs/architecture.md). */
    static final Map<String, Integer> SERVICES = orderedMap(
            "gateway-service", 8080,
            "order-service", 8081,
            "inventory-service", 8082,
            "geo-service", 8083,
            "shard-router", 8084,
            "outbox-relay", 8085);

    private static final Pattern PLACEHOLDER_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern PG_ENV = Pattern.compile("\\bPLATFORM_PG_[A-Z_]+\\b");

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("platform.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(path(relative));
    }

    /** One YAML document as plain maps and lists (anchors and merge keys resolved). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object loaded = new Yaml(options).load(read(file));
        return loaded == null ? Map.of() : (Map<String, Object>) loaded;
    }

    /**
     * Environment variables {@code module} reads: the {@code ${VAR}} placeholders of its
     * application*.yml and of platform-runtime's defaults, plus {@code PLATFORM_PG_*} when it uses
     * platform-postgres (directly or through platform-ids).
     */
    static Set<String> environmentReadBy(String module) {
        Set<String> names = new TreeSet<>();
        try (var files = Files.list(path(module + "/src/main/resources"))) {
            files.filter(f -> f.getFileName().toString().matches("application.*\\.(yml|yaml|properties)"))
                    .forEach(f -> names.addAll(matches(PLACEHOLDER_ENV, read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.addAll(matches(PLACEHOLDER_ENV,
                read("platform-runtime/src/main/resources/platform-defaults.properties")));
        String pom = read(module + "/pom.xml");
        if (pom.contains("<artifactId>platform-postgres</artifactId>")
                || pom.contains("<artifactId>platform-ids</artifactId>")) {
            names.addAll(matches(PG_ENV,
                    read("platform-postgres/src/main/java/io/distpatterns/platform/postgres/PostgresProperties.java")));
        }
        return names;
    }

    /** Every database the services use, from their configuration (default names). */
    static Set<String> databases() {
        Set<String> names = new TreeSet<>();
        Matcher count = Pattern.compile("@DefaultValue\\(\"(\\d+)\"\\)[^,]*int count")
                .matcher(read("order-service/src/main/java/io/distpatterns/order/persistence/OrderShardsProperties.java"));
        if (!count.find()) {
            throw new IllegalStateException("order-service: shard count default not found");
        }
        for (int i = 0; i < Integer.parseInt(count.group(1)); i++) {
            names.add("orders_shard_" + i);
        }
        for (String module : SERVICES.keySet()) {
            Matcher database = Pattern.compile("(?m)^platform:\\s*\\n\\s+pg:\\s*\\n\\s+database:\\s*(\\w+)")
                    .matcher(read(module + "/src/main/resources/application.yml"));
            if (database.find()) {
                names.add(database.group(1));
            }
        }
        Matcher ids = Pattern.compile("@DefaultValue\\(\"(\\w+)\"\\)[^\\n]*?String database")
                .matcher(read("platform-ids/src/main/java/io/distpatterns/platform/ids/IdsProperties.java"));
        if (!ids.find()) {
            throw new IllegalStateException("platform-ids: lease database default not found");
        }
        names.add(ids.group(1));
        return names;
    }

    static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return found;
    }

    /** Whether {@code command} is on the PATH. */
    static boolean onPath(String command) {
        return run(List.of("sh", "-c", "command -v " + command), 10).exitCode() == 0;
    }

    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, int timeoutSeconds) {
        return run(command, Map.of(), timeoutSeconds);
    }

    static Result run(List<String> command, Map<String, String> environment, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .directory(root().toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static Map<String, Integer> orderedMap(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
