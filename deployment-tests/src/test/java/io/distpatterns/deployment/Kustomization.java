package io.distpatterns.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A Kustomize directory read the way {@code kubectl apply -k} reads it, minus the transformations:
 * its resources (bases followed recursively) as typed fabric8 objects, the ConfigMaps and Secrets
 * its generators make (name to keys), and its patches. Enough to check references without kustomize.
 */
final class Kustomization {

    /** Fields of kustomization.yaml this repository may use; anything else is a typo. */
    static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "namespace", "namePrefix", "nameSuffix",
            "labels", "commonAnnotations", "resources", "components", "configMapGenerator", "secretGenerator",
            "generatorOptions", "patches", "images", "replicas");

    final Path dir;
    final Map<String, Object> file;
    final List<HasMetadata> resources = new ArrayList<>();
    final Map<String, Set<String>> generatedConfigMaps = new LinkedHashMap<>();
    final Map<String, Set<String>> generatedSecrets = new LinkedHashMap<>();
    final List<Map<String, Object>> patches = new ArrayList<>();

    private Kustomization(Path dir) {
        this.dir = dir;
        this.file = Repo.yaml(dir.resolve("kustomization.yaml"));
    }

    @SuppressWarnings("unchecked")
    static Kustomization load(Path dir) {
        Kustomization k = new Kustomization(dir);
        for (Object entry : list(k.file.get("resources"))) {
            Path resource = dir.resolve(String.valueOf(entry)).normalize();
            assertThat(resource).as(dir + ": resource " + entry).exists();
            if (Files.isDirectory(resource)) {
                Kustomization base = load(resource);
                k.resources.addAll(base.resources);
                base.generatedConfigMaps.forEach((n, keys) -> k.generatedConfigMaps.put(n, new TreeSet<>(keys)));
                base.generatedSecrets.forEach((n, keys) -> k.generatedSecrets.put(n, new TreeSet<>(keys)));
                k.patches.addAll(base.patches);
            } else {
                k.resources.addAll(parse(resource));
            }
        }
        k.generate("configMapGenerator", k.generatedConfigMaps);
        k.generate("secretGenerator", k.generatedSecrets);
        for (Object patch : list(k.file.get("patches"))) {
            k.patches.add((Map<String, Object>) patch);
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private void generate(String field, Map<String, Set<String>> into) {
        for (Object entry : list(file.get(field))) {
            Map<String, Object> generator = (Map<String, Object>) entry;
            String name = (String) generator.get("name");
            Set<String> keys = new TreeSet<>();
            for (Object literal : list(generator.get("literals"))) {
                keys.add(String.valueOf(literal).split("=", 2)[0]);
            }
            for (Object source : list(generator.get("files"))) {
                String spec = String.valueOf(source);
                String path = spec.contains("=") ? spec.split("=", 2)[1] : spec;
                assertThat(dir.resolve(path)).as(dir + ": " + field + " file").exists();
                keys.add(spec.contains("=") ? spec.split("=", 2)[0] : Path.of(path).getFileName().toString());
            }
            for (Object env : list(generator.get("envs"))) {
                Path envFile = dir.resolve(String.valueOf(env));
                assertThat(envFile).as(dir + ": " + field + " envs").exists();
                Repo.read(envFile).lines().filter(l -> l.contains("=") && !l.startsWith("#"))
                        .forEach(l -> keys.add(l.split("=", 2)[0].strip()));
            }
            if ("merge".equals(generator.get("behavior")) || "replace".equals(generator.get("behavior"))) {
                assertThat(into).as(dir + ": " + name + " merges into a generated " + field).containsKey(name);
                if ("replace".equals(generator.get("behavior"))) {
                    into.get(name).clear();
                }
                into.get(name).addAll(keys);
            } else {
                assertThat(into).as(dir + ": " + name + " generated twice").doesNotContainKey(name);
                into.put(name, keys);
            }
        }
    }

    static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    /** Every document of a manifest file as a typed object, failing on unknown kinds and unknown fields. */
    static List<HasMetadata> parse(Path file) {
        List<HasMetadata> parsed = new ArrayList<>();
        for (String document : Repo.read(file).split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                continue;
            }
            Object object = Serialization.unmarshal(document);
            assertThat(object).as(file + ": a Kubernetes object").isInstanceOf(HasMetadata.class);
            assertThat(object).as(file + ": a kind fabric8 knows").isNotInstanceOf(GenericKubernetesResource.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(object, ((HasMetadata) object).getKind(), unknown);
            assertThat(unknown).as(file + ": unknown fields").isEmpty();
            parsed.add((HasMetadata) object);
        }
        return parsed;
    }

    /** Collects the paths of every non-empty additionalProperties in a fabric8 object graph. */
    static void unknownFields(Object node, String path, List<String> found) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, found));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = method.invoke(node);
                if (method.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + ": " + extra.keySet());
                    }
                } else if (value != null && (value instanceof Collection || value instanceof Map
                        || value.getClass().getName().startsWith("io.fabric8."))) {
                    unknownFields(value, path + "." + method.getName().substring(3), found);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a computed getter that needs state we do not have: not a field
            }
        }
    }

    @SuppressWarnings("unchecked")
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(r -> (T) r).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(dir + ": no " + type.getSimpleName() + " " + name));
    }

    /** ConfigMap name to keys: the ones in resources and the generated ones. */
    Map<String, Set<String>> configMaps() {
        Map<String, Set<String>> all = new LinkedHashMap<>(generatedConfigMaps);
        all(io.fabric8.kubernetes.api.model.ConfigMap.class).forEach(c ->
                all.put(c.getMetadata().getName(), c.getData() == null ? Set.of() : c.getData().keySet()));
        return all;
    }

    /** Secret name to keys: the ones in resources and the generated ones. */
    Map<String, Set<String>> secrets() {
        Map<String, Set<String>> all = new LinkedHashMap<>(generatedSecrets);
        all(io.fabric8.kubernetes.api.model.Secret.class).forEach(s -> {
            Set<String> keys = new TreeSet<>();
            if (s.getData() != null) {
                keys.addAll(s.getData().keySet());
            }
            if (s.getStringData() != null) {
                keys.addAll(s.getStringData().keySet());
            }
            all.put(s.getMetadata().getName(), keys);
        });
        return all;
    }
}
