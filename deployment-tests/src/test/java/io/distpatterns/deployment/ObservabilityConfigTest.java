package io.distpatterns.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Prometheus scrape configuration and Grafana provisioning (datasources, dashboards). */
class ObservabilityConfigTest {

    /**
     * Metrics the dashboards show before any code publishes them: saga, outbox and dead letters
     * (issues #4-#6). README.md marks those panels "populated once #4-#6 land".
     */
    private static final Set<String> PENDING_METRICS = Set.of(
            "saga_orders_placed_total", "saga_orders_completed_total", "saga_duration_seconds_bucket",
            "outbox_pending_events", "outbox_oldest_pending_age_seconds", "outbox_published_total",
            "dlt_depth_records", "dlt_records_total");

    /** Published by Spring Boot, Micrometer's JVM binders and resilience4j-micrometer, not by our code. */
    private static final List<String> LIBRARY_PREFIXES = List.of(
            "up", "http_server_requests_", "jvm_", "process_", "system_", "resilience4j_circuitbreaker_",
            "resilience4j_bulkhead_");

    private static final Pattern METER_NAME = Pattern.compile(
            "(?:Counter|Gauge|Timer|FunctionCounter|DistributionSummary|LongTaskTimer)\\.builder\\(\"([a-z0-9_.]+)\"");
    private static final Pattern PROMQL_FUNCTIONS = Pattern.compile(
            "\\b(sum|max|min|avg|count|rate|irate|increase|histogram_quantile|by|without|on|ignoring|le|offset|bool|and|or|unless|topk|bottomk|clamp_min|clamp_max|abs|delta|deriv|time|vector|scalar|label_replace)\\b");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServiceOnItsActuatorEndpoint() {
        Map<String, Object> config = Repo.yaml(Repo.path("deploy/compose/prometheus/prometheus.yml"));
        Set<String> targets = new TreeSet<>();

        for (Object job : (List<Object>) config.get("scrape_configs")) {
            Map<String, Object> scrape = (Map<String, Object>) job;
            if (!"/actuator/prometheus".equals(scrape.get("metrics_path"))) {
                continue;
            }
            for (Object group : (List<Object>) scrape.get("static_configs")) {
                targets.addAll((List<String>) ((Map<String, Object>) group).get("targets"));
            }
        }

        Set<String> expected = new TreeSet<>();
        Repo.SERVICES.forEach((service, port) -> expected.add(service + ":" + port));
        assertThat(targets).isEqualTo(expected);
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaProvisionsPrometheusAndZipkinAndLoadsTheDashboardsFolder() {
        Map<String, Object> datasources = Repo.yaml(Repo.path("deploy/compose/grafana/provisioning/datasources/datasources.yml"));
        Map<String, Object> providers = Repo.yaml(Repo.path("deploy/compose/grafana/provisioning/dashboards/dashboards.yml"));

        assertThat((List<Map<String, Object>>) datasources.get("datasources"))
                .extracting(d -> d.get("uid") + "=" + d.get("type") + "@" + d.get("url"))
                .containsExactlyInAnyOrder("prometheus=prometheus@http://prometheus:9090", "zipkin=zipkin@http://zipkin:9411");
        List<Map<String, Object>> dashboardProviders = (List<Map<String, Object>>) providers.get("providers");
        assertThat(dashboardProviders).singleElement()
                .extracting(p -> ((Map<String, Object>) p.get("options")).get("path"))
                .isEqualTo("/var/lib/grafana/dashboards");
        assertThat(Repo.read("docker-compose.yml"))
                .contains("./deploy/compose/grafana/dashboards:/var/lib/grafana/dashboards:ro")
                .contains("./deploy/compose/grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    @Test
    void everyDashboardParsesWithUniqueIdsAndQueriesOnlyProvisionedDatasources() throws IOException {
        Set<String> uids = new HashSet<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = json.readTree(file.toFile());

            assertThat(uids.add(dashboard.path("uid").asText())).as(file + " uid unique").isTrue();
            assertThat(dashboard.path("title").asText()).as(file.toString()).isNotBlank();
            Set<Integer> panelIds = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(panelIds.add(panel.path("id").asInt())).as(file + " panel id unique").isTrue();
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("datasource").path("uid").asText()).as(file + " " + panel.path("title"))
                        .isEqualTo("prometheus");
                assertThat(panel.path("targets").size()).as(file + " " + panel.path("title")).isPositive();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText()).as(file + " " + panel.path("title")).isNotBlank();
                }
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(file + " grid").isLessThanOrEqualTo(24);
            }
        }
        assertThat(uids).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void dashboardsCoverWhatIssue9Asks() throws IOException {
        StringBuilder titles = new StringBuilder();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = json.readTree(file.toFile());
            titles.append(dashboard.path("title").asText()).append('\n');
            dashboard.path("panels").forEach(p -> titles.append(p.path("title").asText()).append('\n'));
        }

        assertThat(titles.toString().toLowerCase()).contains(
                "orders placed", "saga latency", "outbox events pending", "oldest pending event age", "dlt depth",
                "breaker state", "rate-limit rejections", "rate-limit fallbacks", "nearby query latency",
                "updates / s", "heap used", "gc pause");
    }

    @Test
    void everyMetricOnADashboardIsPublishedByTheCodeOrMarkedPending() throws IOException {
        Set<String> meters = meterNamesInCode();
        List<String> unknown = new ArrayList<>();

        for (String metric : metricsOnDashboards()) {
            boolean library = LIBRARY_PREFIXES.stream().anyMatch(p -> metric.equals(p) || metric.startsWith(p) && p.endsWith("_"));
            boolean ours = meters.stream().anyMatch(m -> metric.equals(m) || metric.startsWith(m + "_"));
            if (!library && !ours && !PENDING_METRICS.contains(metric)) {
                unknown.add(metric);
            }
        }

        assertThat(meters).contains("geo_nearby_query", "gateway_ratelimit_rejections", "shard_map_version");
        assertThat(unknown).as("metrics nobody publishes").isEmpty();
        assertThat(Repo.read("README.md")).contains("populated once #4-#6 land");
    }

    private Set<String> metricsOnDashboards() throws IOException {
        Set<String> metrics = new TreeSet<>();
        for (Path file : dashboardFiles()) {
            for (JsonNode panel : json.readTree(file.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText()
                            .replaceAll("\\{[^}]*}", "")      // label matchers
                            .replaceAll("\\[[^]]*]", "")      // ranges
                            .replaceAll("\\([a-z_, ]*\\)", "()"); // by (...) label lists
                    expr = PROMQL_FUNCTIONS.matcher(expr).replaceAll(" ");
                    metrics.addAll(Repo.matches(Pattern.compile("\\b([a-z_][a-z0-9_]*[a-z0-9])\\b"), expr));
                }
            }
        }
        return metrics;
    }

    private static Set<String> meterNamesInCode() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repo.root())) {
            files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
                    .forEach(f -> Repo.matches(METER_NAME, Repo.read(f))
                            .forEach(name -> names.add(name.replace('.', '_'))));
        }
        return names;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(Repo.path("deploy/compose/grafana/dashboards"))) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(found).isNotEmpty();
            return found;
        }
    }
}
