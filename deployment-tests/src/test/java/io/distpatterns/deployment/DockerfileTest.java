package io.distpatterns.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/** The image recipe, its health check and the script that builds every image. */
class DockerfileTest {

    private final String dockerfile = Repo.read("deploy/docker/Dockerfile");

    private List<String> instructions(String keyword) {
        return Arrays.stream(dockerfile.replace("\\\n", " ").split("\n"))
                .map(String::strip)
                .filter(line -> line.toUpperCase().startsWith(keyword + " "))
                .toList();
    }

    @Test
    void buildsWithMavenAndRunsOnTheJreOnly() {
        List<String> from = instructions("FROM");

        assertThat(from).hasSizeGreaterThanOrEqualTo(2);
        assertThat(from.get(0)).contains("maven:3.9-eclipse-temurin-17");
        assertThat(from.get(from.size() - 1)).startsWith("FROM eclipse-temurin:17-jre").doesNotContain(" AS ");
        assertThat(dockerfile).contains("-DskipTests").contains("package");
        for (String service : Repo.SERVICES.keySet()) {
            assertThat(dockerfile).as("the build stage builds " + service).contains(service);
        }
    }

    @Test
    void extractsTheLayeredJarAndCopiesLayersInChangeOrder() {
        assertThat(dockerfile).contains("java -Djarmode=tools -jar app.jar extract --layers --launcher");
        List<String> copies = instructions("COPY").stream().filter(c -> c.contains("/extracted/")).toList();

        assertThat(copies).hasSize(4);
        assertThat(copies.get(0)).contains("dependencies/");
        assertThat(copies.get(1)).contains("spring-boot-loader/");
        assertThat(copies.get(2)).contains("snapshot-dependencies/");
        assertThat(copies.get(3)).contains("application/");
        assertThat(instructions("ENTRYPOINT")).singleElement().asString()
                .contains("org.springframework.boot.loader.launch.JarLauncher");
    }

    @Test
    void runsAsANumericNonRootUserWithContainerAwareMemory() {
        List<String> users = instructions("USER");

        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).matches("USER [1-9]\\d{3,}(:[1-9]\\d{3,})?");
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError")
                .doesNotContainPattern("-Xmx\\d");
    }

    @Test
    void healthCheckIsTheReadinessScript() {
        assertThat(instructions("HEALTHCHECK")).singleElement().asString()
                .contains("CMD [\"/usr/local/bin/healthcheck\"]");
        assertThat(dockerfile).contains("deploy/docker/healthcheck.sh /usr/local/bin/healthcheck");
        assertThat(Repo.read("deploy/docker/healthcheck.sh")).contains("/actuator/health/readiness");
        assertThat(Files.isExecutable(Repo.path("deploy/docker/healthcheck.sh"))).isTrue();
    }

    @Test
    void healthCheckScriptPassesOnlyOn200() throws IOException {
        assumeTrue(Repo.onPath("bash"), "bash not installed");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("SERVER_PORT", String.valueOf(server.getAddress().getPort()));

            assertThat(Repo.run(List.of("bash", "deploy/docker/healthcheck.sh"), env, 20).exitCode()).isZero();
            assertThat(Repo.run(List.of("bash", "deploy/docker/healthcheck.sh", "/down"), env, 20).exitCode()).isNotZero();
        } finally {
            server.stop(0);
        }
        assertThat(Repo.run(List.of("bash", "deploy/docker/healthcheck.sh"),
                Map.of("SERVER_PORT", String.valueOf(server.getAddress().getPort())), 20).exitCode())
                .as("nothing listening").isNotZero();
    }

    @Test
    void buildScriptBuildsEveryServiceWithItsPort() {
        String script = Repo.read("deploy/build-images.sh");

        for (var service : Repo.SERVICES.entrySet()) {
            assertThat(script).contains(service.getKey() + ":" + service.getValue());
            Matcher port = Pattern.compile("(?m)^server:\\s*\\n\\s+port:\\s*(\\d+)")
                    .matcher(Repo.read(service.getKey() + "/src/main/resources/application.yml"));
            assertThat(port.find()).as(service.getKey() + " server.port").isTrue();
            assertThat(Integer.parseInt(port.group(1))).as(service.getKey()).isEqualTo(service.getValue());
        }
        assertThat(script).contains("-f deploy/docker/Dockerfile");
        assertThat(Files.isExecutable(Repo.path("deploy/build-images.sh"))).isTrue();
        if (Repo.onPath("bash")) {
            assertThat(Repo.run(List.of("bash", "-n", "deploy/build-images.sh"), 20).exitCode()).isZero();
        }
    }

    @Test
    void buildContextLeavesOutBuildOutputs() {
        assertThat(Repo.read(".dockerignore")).contains("**/target/").contains(".git/");
    }
}
