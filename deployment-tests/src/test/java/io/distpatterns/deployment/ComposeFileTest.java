package io.distpatterns.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docker-compose.yml, parsed and checked the way STYLE.md and issue #9 ask. */
class ComposeFileTest {

    /** Only these publish host ports: the gateway, the tracing UI and Grafana. */
    private static final Map<String, Set<String>> PUBLISHED = Map.of(
            "gateway-service", Set.of("8080:8080"),
            "zipkin", Set.of("9411:9411"),
            "grafana", Set.of("3000:3000"));

    private final Map<String, Object> compose = Repo.yaml(Repo.path("docker-compose.yml"));

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @Test
    void runsEveryPlatformServiceBuiltFromTheSharedDockerfileWithItsModuleAndPort() {
        Map<String, Map<String, Object>> services = services();

        for (var service : Repo.SERVICES.entrySet()) {
            Map<String, Object> definition = services.get(service.getKey());
            assertThat(definition).as(service.getKey()).isNotNull();
            Map<String, Object> build = map(definition.get("build"));
            Map<String, Object> args = map(build.get("args"));

            assertThat(args).as(service.getKey() + " build args")
                    .containsEntry("MODULE", service.getKey())
                    .containsEntry("PORT", String.valueOf(service.getValue()));
            assertThat(Repo.path(build.get("context") + "/" + build.get("dockerfile"))).exists();
            assertThat((String) definition.get("image")).as(service.getKey())
                    .endsWith("/" + service.getKey() + ":${PLATFORM_IMAGE_TAG:-latest}");
        }
    }

    @Test
    void everyServiceHasAnImageOrABuildAndAHealthCheck() {
        services().forEach((name, definition) -> {
            assertThat(definition.containsKey("image") || definition.containsKey("build"))
                    .as(name + " has image or build").isTrue();
            Map<String, Object> healthcheck = map(definition.get("healthcheck"));
            assertThat(healthcheck.get("disable")).as(name).isNotEqualTo(true);
            assertThat(healthcheck.get("test")).as(name + " healthcheck.test").isInstanceOf(List.class);
            assertThat((List<?>) healthcheck.get("test")).as(name).hasSizeGreaterThan(1);
        });
    }

    @Test
    void platformServicesCheckReadinessWithTheScriptInTheImage() {
        for (String service : Repo.SERVICES.keySet()) {
            assertThat(map(services().get(service).get("healthcheck")).get("test"))
                    .as(service).isEqualTo(List.of("CMD", "healthcheck"));
        }
    }

    @Test
    void everyServiceHasAMemoryLimit() {
        services().forEach((name, definition) -> {
            Object memory = map(map(map(definition.get("deploy")).get("resources")).get("limits")).get("memory");
            assertThat(memory).as(name + " deploy.resources.limits.memory").isNotNull();
            assertThat(String.valueOf(memory)).as(name).matches("\\d+[MG]");
        });
    }

    @Test
    void dependsOnNamesExistingServicesAndWaitsForThemToBeHealthy() {
        Map<String, Map<String, Object>> services = services();

        services.forEach((name, definition) -> {
            Object dependsOn = definition.get("depends_on");
            assertThat(dependsOn == null || dependsOn instanceof Map)
                    .as(name + ": depends_on must be the long form, with conditions").isTrue();
            map(dependsOn).forEach((target, condition) -> {
                assertThat(services).as(name + " depends on " + target).containsKey(target);
                assertThat(map(condition)).as(name + " -> " + target)
                        .containsEntry("condition", "service_healthy");
            });
        });
        for (String service : Repo.SERVICES.keySet()) {
            assertThat(map(services.get(service).get("depends_on"))).as(service).isNotEmpty();
        }
        assertThat(map(services.get("gateway-service").get("depends_on")))
                .containsKeys("order-service", "inventory-service", "geo-service", "shard-router");
    }

    @Test
    void onlyTheGatewayTheTracingUiAndGrafanaPublishHostPorts() {
        Map<String, Set<String>> published = new TreeMap<>();
        services().forEach((name, definition) -> {
            Object ports = definition.get("ports");
            if (ports != null) {
                Set<String> mappings = new TreeSet<>();
                ((List<?>) ports).forEach(p -> mappings.add(String.valueOf(p)));
                published.put(name, mappings);
            }
        });

        assertThat(published).isEqualTo(new TreeMap<>(PUBLISHED));
    }

    @Test
    void everyEnvironmentVariableTheServicesReadIsSet() {
        for (String service : Repo.SERVICES.keySet()) {
            Map<String, Object> environment = map(services().get(service).get("environment"));

            assertThat(environment.keySet()).as(service + " environment")
                    .containsAll(Repo.environmentReadBy(service));
            environment.forEach((key, value) ->
                    assertThat(value).as(service + " " + key).isNotNull());
        }
    }

    @Test
    void servicesReachEachOtherByComposeNameOnTheirPorts() {
        Map<String, Object> gateway = map(services().get("gateway-service").get("environment"));
        Map<String, Object> common = map(services().get("order-service").get("environment"));

        assertThat(gateway).containsEntry("ORDER_SERVICE_URL", "http://order-service:8081")
                .containsEntry("INVENTORY_SERVICE_URL", "http://inventory-service:8082")
                .containsEntry("GEO_SERVICE_URL", "http://geo-service:8083")
                .containsEntry("SHARD_ROUTER_URL", "http://shard-router:8084")
                .containsEntry("GATEWAY_REDIS_URL", "redis://redis:6379");
        assertThat(common).containsEntry("PLATFORM_PG_URL", "jdbc:postgresql://postgres:5432/postgres")
                .containsEntry("PLATFORM_KAFKA_BOOTSTRAP", "kafka:9092")
                .containsEntry("PLATFORM_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans");
        assertThat(map(services().get("kafka").get("environment")))
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092");
    }

    @Test
    void everyBindMountedFileExists() {
        services().forEach((name, definition) -> {
            Object volumes = definition.get("volumes");
            if (volumes == null) {
                return;
            }
            for (Object volume : (List<?>) volumes) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(Repo.path(source.substring(2))).as(name + " mounts " + source).exists();
                }
            }
        });
    }

    @Test
    void postgresInitScriptCreatesEveryDatabaseTheServicesUse() {
        String sql = Repo.read("deploy/compose/postgres/init/01-databases.sql");

        Set<String> created = Repo.matches(Pattern.compile("(?im)^\\s*CREATE DATABASE\\s+(\\w+)\\s*;"), sql);

        assertThat(created).containsAll(Repo.databases())
                .contains("orders_shard_0", "orders_shard_3", "inventory", "geo", "shard_router", "snowflake_workers", "order_directory");
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        assumeTrue(Repo.onPath("docker-compose"), "docker-compose not installed (apt-get install docker-compose)");

        Repo.Result result = Repo.run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"), 120);

        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
