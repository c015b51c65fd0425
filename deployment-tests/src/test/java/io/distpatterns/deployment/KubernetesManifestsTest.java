package io.distpatterns.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

/** k8s/: every manifest typed and free of unknown fields, and the overlays consistent. */
class KubernetesManifestsTest {

    private static final List<String> OVERLAYS = List.of("k8s/base", "k8s/overlays/local", "k8s/overlays/production");
    /** Stateless services the HPA scales (geo-service keeps its index in memory, outbox-relay must be alone). */
    private static final Set<String> SCALED = Set.of("gateway-service", "order-service", "inventory-service", "shard-router");
    /** Who may call whom inside the namespace (besides Prometheus scraping from "monitoring"). */
    private static final Map<String, Set<String>> CALLERS = Map.of(
            "order-service", Set.of("gateway-service"),
            "inventory-service", Set.of("gateway-service"),
            "geo-service", Set.of("gateway-service"),
            "shard-router", Set.of("gateway-service", "order-service"),
            "outbox-relay", Set.of(),
            "redis", Set.of("gateway-service"));

    private static Kustomization overlay(String dir) {
        return Kustomization.load(Repo.path(dir));
    }

    private static Map<String, PodTemplateSpec> workloads(Kustomization k) {
        Map<String, PodTemplateSpec> templates = new TreeMap<>();
        k.all(Deployment.class).forEach(d -> templates.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
        k.all(StatefulSet.class).forEach(s -> templates.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
        return templates;
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null
                && !selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (var expression : selector.getMatchExpressions()) {
                boolean in = expression.getValues().contains(labels.get(expression.getKey()));
                if (expression.getOperator().equals("In") != in) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void everyManifestParsesIntoTypedObjectsWithNoUnknownFields() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(Repo.path("k8s"))) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        int objects = 0;

        for (Path manifest : manifests) {
            objects += Kustomization.parse(manifest).size();
        }

        assertThat(manifests).hasSizeGreaterThanOrEqualTo(12);
        assertThat(objects).isGreaterThanOrEqualTo(40);
    }

    @Test
    void kustomizationsUseKnownFieldsAndEveryFileTheyNameExists() {
        for (String dir : OVERLAYS) {
            Kustomization k = overlay(dir);

            assertThat(k.file.keySet()).as(dir).isSubsetOf(Kustomization.KNOWN_FIELDS);
            assertThat(k.file).as(dir).containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1")
                    .containsEntry("kind", "Kustomization");
            for (Map<String, Object> patch : k.patches) {
                if (patch.get("path") != null) {
                    assertThat(k.dir.resolve((String) patch.get("path"))).as(dir + " patch").exists();
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> target = (Map<String, Object>) patch.get("target");
                if (target != null) {
                    List<HasMetadata> matching = k.resources.stream()
                            .filter(r -> r.getKind().equals(target.get("kind")))
                            .filter(r -> target.get("name") == null || r.getMetadata().getName().equals(target.get("name")))
                            .toList();
                    assertThat(matching).as(dir + " patch target " + target).isNotEmpty();
                }
            }
        }
    }

    @Test
    void everyContainerHasStartupReadinessAndLivenessProbesAndResources() {
        for (String dir : OVERLAYS) {
            workloads(overlay(dir)).forEach((name, template) -> {
                for (Container c : template.getSpec().getContainers()) {
                    String what = dir + " " + name + "/" + c.getName();
                    assertThat(c.getStartupProbe()).as(what + " startupProbe").isNotNull();
                    assertThat(c.getReadinessProbe()).as(what + " readinessProbe").isNotNull();
                    assertThat(c.getLivenessProbe()).as(what + " livenessProbe").isNotNull();
                    assertThat(c.getResources()).as(what + " resources").isNotNull();
                    assertThat(c.getResources().getRequests()).as(what + " requests").containsKeys("cpu", "memory");
                    assertThat(c.getResources().getLimits()).as(what + " limits").containsKey("memory");
                    assertThat(c.getImage()).as(what).isNotBlank().doesNotEndWith(":");
                    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(what).isFalse();
                }
                assertThat(template.getSpec().getSecurityContext().getRunAsNonRoot()).as(dir + " " + name + " non-root").isTrue();
            });
        }
    }

    @Test
    void servicesProbeTheActuatorHealthGroupsOnTheirPort() {
        Kustomization base = overlay("k8s/base");

        Repo.SERVICES.forEach((service, port) -> {
            Container c = base.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);

            assertThat(c.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getContainerPort()).isEqualTo(port);
                assertThat(p.getName()).isEqualTo("http");
            });
            assertThat(path(c.getStartupProbe())).as(service).isEqualTo("/actuator/health/liveness");
            assertThat(path(c.getLivenessProbe())).as(service).isEqualTo("/actuator/health/liveness");
            assertThat(path(c.getReadinessProbe())).as(service).isEqualTo("/actuator/health/readiness");
            assertThat(c.getImage()).as(service).isEqualTo("distpatterns/" + service + ":latest");
            Service svc = base.named(Service.class, service);
            assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(port));
        });
    }

    private static String path(Probe probe) {
        assertThat(probe.getHttpGet()).isNotNull();
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        return probe.getHttpGet().getPath();
    }

    @Test
    void selectorsMatchTheLabelsOfWhatTheySelect() {
        for (String dir : OVERLAYS) {
            Kustomization k = overlay(dir);
            Map<String, PodTemplateSpec> workloads = workloads(k);

            k.all(Deployment.class).forEach(d -> assertThat(selects(d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
                    .as(dir + " Deployment " + d.getMetadata().getName()).isTrue());
            k.all(StatefulSet.class).forEach(s -> {
                assertThat(selects(s.getSpec().getSelector(), s.getSpec().getTemplate().getMetadata().getLabels()))
                        .as(dir + " StatefulSet " + s.getMetadata().getName()).isTrue();
                assertThat(k.named(Service.class, s.getSpec().getServiceName())).isNotNull();
            });
            for (Service service : k.all(Service.class)) {
                List<String> selected = workloads.entrySet().stream()
                        .filter(w -> selects(new LabelSelector(null, service.getSpec().getSelector()), w.getValue().getMetadata().getLabels()))
                        .map(Map.Entry::getKey).toList();
                assertThat(selected).as(dir + " Service " + service.getMetadata().getName() + " selects a workload").hasSize(1);
                PodTemplateSpec target = workloads.get(selected.get(0));
                service.getSpec().getPorts().forEach(p -> {
                    if (p.getTargetPort() != null && p.getTargetPort().getStrVal() != null) {
                        assertThat(target.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                                .anyMatch(cp -> p.getTargetPort().getStrVal().equals(cp.getName())))
                                .as(dir + " Service " + service.getMetadata().getName() + " named targetPort").isTrue();
                    }
                });
            }
            for (PodDisruptionBudget pdb : k.all(PodDisruptionBudget.class)) {
                assertThat(workloads.values().stream().anyMatch(w -> selects(pdb.getSpec().getSelector(), w.getMetadata().getLabels())))
                        .as(dir + " PDB " + pdb.getMetadata().getName()).isTrue();
            }
            for (HorizontalPodAutoscaler hpa : k.all(HorizontalPodAutoscaler.class)) {
                assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
                assertThat(k.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName())).isNotNull();
            }
            for (NetworkPolicy policy : k.all(NetworkPolicy.class)) {
                LabelSelector selector = policy.getSpec().getPodSelector();
                boolean all = (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
                assertThat(all || workloads.values().stream().anyMatch(w -> selects(selector, w.getMetadata().getLabels())))
                        .as(dir + " NetworkPolicy " + policy.getMetadata().getName() + " selects a pod").isTrue();
            }
        }
    }

    @Test
    void everyConfigMapAndSecretReferenceResolves() {
        Set<String> external = Set.of("platform-postgres", "gateway-api-keys", "gateway-tls");
        String productionReadme = Repo.read("k8s/overlays/production/README.md");

        for (String dir : List.of("k8s/overlays/local", "k8s/overlays/production")) {
            Kustomization k = overlay(dir);
            Map<String, Set<String>> configMaps = k.configMaps();
            Map<String, Set<String>> secrets = k.secrets();
            List<String> missingSecrets = new ArrayList<>();

            workloads(k).forEach((name, template) -> {
                for (Volume v : template.getSpec().getVolumes() == null ? List.<Volume>of() : template.getSpec().getVolumes()) {
                    if (v.getConfigMap() != null) {
                        assertThat(configMaps).as(dir + " " + name + " volume").containsKey(v.getConfigMap().getName());
                    }
                    if (v.getSecret() != null && !secrets.containsKey(v.getSecret().getSecretName())) {
                        missingSecrets.add(v.getSecret().getSecretName());
                    }
                }
                for (Container c : template.getSpec().getContainers()) {
                    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                        if (from.getConfigMapRef() != null) {
                            assertThat(configMaps).as(dir + " " + name + " envFrom").containsKey(from.getConfigMapRef().getName());
                        }
                        if (from.getSecretRef() != null && !secrets.containsKey(from.getSecretRef().getName())) {
                            missingSecrets.add(from.getSecretRef().getName());
                        }
                    }
                    for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                        if (env.getValueFrom() == null) {
                            continue;
                        }
                        ConfigMapKeySelector cm = env.getValueFrom().getConfigMapKeyRef();
                        if (cm != null) {
                            assertThat(configMaps.get(cm.getName())).as(dir + " " + name + " " + env.getName()).contains(cm.getKey());
                        }
                        SecretKeySelector secret = env.getValueFrom().getSecretKeyRef();
                        if (secret != null) {
                            if (secrets.containsKey(secret.getName())) {
                                assertThat(secrets.get(secret.getName())).as(dir + " " + name + " " + env.getName()).contains(secret.getKey());
                            } else {
                                missingSecrets.add(secret.getName());
                            }
                        }
                    }
                }
            });
            k.all(Ingress.class).forEach(i -> {
                if (i.getSpec().getTls() != null) {
                    i.getSpec().getTls().forEach(t -> {
                        if (!secrets.containsKey(t.getSecretName())) {
                            missingSecrets.add(t.getSecretName());
                        }
                    });
                }
            });

            if (dir.endsWith("local")) {
                assertThat(missingSecrets).as("local: every secret generated").isEmpty();
            } else {
                assertThat(missingSecrets).as("production: only the documented external secrets").isSubsetOf(external);
                for (String name : external) {
                    assertThat(productionReadme).as("production README documents " + name).contains("`" + name + "`");
                }
            }
        }
    }

    @Test
    void productionCommitsNoSecretValuesAndRunsNoDatabaseOrBroker() {
        Kustomization production = overlay("k8s/overlays/production");

        assertThat(production.all(Secret.class)).isEmpty();
        assertThat(production.generatedSecrets).isEmpty();
        assertThat(production.all(StatefulSet.class)).isEmpty();
        assertThat(production.resources).noneMatch(r -> Set.of("postgres", "kafka").contains(r.getMetadata().getName()));
        assertThat(production.generatedConfigMaps.get("platform-config"))
                .contains("PLATFORM_PG_URL", "PLATFORM_KAFKA_BOOTSTRAP", "PLATFORM_ZIPKIN_ENDPOINT");
        String kustomization = Repo.read("k8s/overlays/production/kustomization.yaml");
        assertThat(kustomization).doesNotContain("PASSWORD=").doesNotContain("_KEY=");
    }

    @Test
    void localRunsPostgresAndKafkaAsStatefulSetsWithTheSameInitScriptAsCompose() {
        Kustomization local = overlay("k8s/overlays/local");

        assertThat(local.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("postgres", "kafka");
        assertThat(Repo.read("k8s/overlays/local/postgres/01-databases.sql").replaceAll("(?m)^--.*\\n", ""))
                .isEqualTo(Repo.read("deploy/compose/postgres/init/01-databases.sql").replaceAll("(?m)^--.*\\n", ""));
        assertThat(local.generatedConfigMaps.get("postgres-init")).containsExactly("01-databases.sql");
    }

    @Test
    void statelessServicesAutoscaleAndKeepOnePodThroughDisruptions() {
        Kustomization base = overlay("k8s/base");

        assertThat(base.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrderElementsOf(SCALED);
        for (String service : SCALED) {
            PodDisruptionBudget pdb = base.named(PodDisruptionBudget.class, service);
            assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as(service).isGreaterThanOrEqualTo(1);
            HorizontalPodAutoscaler hpa = base.named(HorizontalPodAutoscaler.class, service);
            assertThat(hpa.getSpec().getMinReplicas()).as(service).isGreaterThanOrEqualTo(2);
            assertThat(hpa.getSpec().getMaxReplicas()).as(service).isGreaterThan(hpa.getSpec().getMinReplicas());
        }
    }

    @Test
    void onlyTheGatewayIsReachableFromOutsideAndEachServiceOnlyByItsCallers() {
        Kustomization base = overlay("k8s/base");
        List<NetworkPolicy> policies = base.all(NetworkPolicy.class);
        Map<String, Set<String>> callers = new LinkedHashMap<>();
        Set<String> openToAll = new TreeSet<>();

        assertThat(policies).anySatisfy(p -> {
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
        });
        Map<String, Map<String, String>> pods = new TreeMap<>();
        workloads(base).forEach((name, t) -> pods.put(name.substring(name.indexOf('/') + 1), t.getMetadata().getLabels()));
        for (NetworkPolicy policy : policies) {
            for (var rule : policy.getSpec().getIngress() == null ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of() : policy.getSpec().getIngress()) {
                Set<String> targets = new TreeSet<>();
                pods.forEach((pod, labels) -> {
                    if (selects(policy.getSpec().getPodSelector(), labels)) {
                        targets.add(pod);
                    }
                });
                if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                    openToAll.addAll(targets);
                    continue;
                }
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertThat(peer.getIpBlock()).as(policy.getMetadata().getName()).isNull();
                    if (peer.getNamespaceSelector() != null) {
                        assertThat(peer.getNamespaceSelector().getMatchLabels())
                                .as(policy.getMetadata().getName() + ": only the monitoring namespace")
                                .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
                        assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "prometheus");
                        continue;
                    }
                    pods.forEach((pod, labels) -> {
                        if (selects(peer.getPodSelector(), labels)) {
                            targets.forEach(t -> callers.computeIfAbsent(t, x -> new TreeSet<>()).add(pod));
                        }
                    });
                }
            }
        }

        assertThat(openToAll).containsExactly("gateway-service");
        CALLERS.forEach((service, expected) ->
                assertThat(callers.getOrDefault(service, Set.of())).as("callers of " + service).isEqualTo(expected));
    }

    @Test
    void theIngressRoutesToTheGatewayService() {
        for (String dir : OVERLAYS) {
            Kustomization k = overlay(dir);

            assertThat(k.all(Ingress.class)).as(dir).singleElement().satisfies(ingress ->
                    ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(p -> {
                        assertThat(p.getBackend().getService().getName()).isEqualTo("gateway-service");
                        assertThat(p.getBackend().getService().getPort().getName()).isEqualTo("http");
                    })));
        }
        // The production overlay patches in its host and TLS.
        Ingress patch = (Ingress) Kustomization.parse(Repo.path("k8s/overlays/production/ingress-patch.yaml")).get(0);
        assertThat(patch.getMetadata().getName()).isEqualTo("gateway-service");
        assertThat(patch.getSpec().getTls()).singleElement()
                .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("gateway-tls"));
    }

    @Test
    void everyEnvironmentVariableTheServicesReadIsSet() {
        Kustomization local = overlay("k8s/overlays/local");
        Map<String, Set<String>> configMaps = local.configMaps();
        Map<String, Set<String>> secrets = local.secrets();

        for (String service : Repo.SERVICES.keySet()) {
            Container c = local.named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> set = new TreeSet<>();
            c.getEnv().forEach(e -> set.add(e.getName()));
            c.getEnvFrom().forEach(from -> {
                if (from.getConfigMapRef() != null) {
                    set.addAll(configMaps.get(from.getConfigMapRef().getName()));
                }
                if (from.getSecretRef() != null) {
                    set.addAll(secrets.get(from.getSecretRef().getName()));
                }
            });

            assertThat(set).as(service).containsAll(Repo.environmentReadBy(service));
        }
    }

    @Test
    void kubectlKustomizeRendersEveryOverlayIntoValidObjects() throws IOException {
        assumeTrue(Repo.onPath("kubectl"), "kubectl not installed");

        for (String dir : OVERLAYS) {
            Repo.Result rendered = Repo.run(List.of("kubectl", "kustomize", dir), 120);
            assertThat(rendered.exitCode()).as(dir + ": " + rendered.output()).isZero();
            Path out = Files.createTempFile("kustomize-", ".yaml");
            try {
                Files.writeString(out, rendered.output());
                List<HasMetadata> objects = Kustomization.parse(out);
                Set<String> names = new TreeSet<>();
                objects.forEach(o -> names.add(o.getKind() + "/" + o.getMetadata().getName()));

                assertThat(objects).as(dir).hasSizeGreaterThanOrEqualTo(30);
                if (!dir.endsWith("base")) {
                    assertThat(objects).as(dir + " namespaced").allMatch(o -> o.getKind().equals("Namespace")
                            || "distpatterns".equals(o.getMetadata().getNamespace()));
                }
                for (HasMetadata o : objects) {
                    if (o instanceof Deployment d) {
                        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                            for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                                if (from.getConfigMapRef() != null) {
                                    assertThat(names).as(dir + " rendered reference").contains("ConfigMap/" + from.getConfigMapRef().getName());
                                }
                            }
                        }
                    }
                }
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
