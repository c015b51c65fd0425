package io.distpatterns.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The gateway's API keys are a map ({@code gateway.security.api-keys.<client>.key/plan/role}); the
 * deployments set them as environment variables. Spring binds them only in the
 * {@code GATEWAY_SECURITY_APIKEYS_<CLIENT>_KEY} form (no underscore inside "apikeys").
 */
class GatewayKeysBindingTest {

    record ApiKey(String key, String plan, String role) {
    }

    private static Map<String, ApiKey> bind(Map<String, Object> environment) {
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        return Binder.get(spring).bind("gateway.security.api-keys", Bindable.mapOf(String.class, ApiKey.class))
                .orElse(Map.of());
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeKeysBindToTheGatewaysKeyMap() {
        Map<String, Object> compose = Repo.yaml(Repo.path("docker-compose.yml"));
        Map<String, Object> gateway = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("gateway-service");
        Map<String, Object> environment = new LinkedHashMap<>();
        // docker-compose substitutes ${VAR:-default} itself; with VAR unset the container sees the default.
        ((Map<String, Object>) gateway.get("environment")).forEach((name, value) ->
                environment.put(name, String.valueOf(value).replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));

        Map<String, ApiKey> keys = bind(environment);

        assertThat(keys).containsOnlyKeys("demo", "admin");
        assertThat(keys.get("demo")).isEqualTo(new ApiKey("demo-key", "standard", "client"));
        assertThat(keys.get("admin").role()).isEqualTo("admin");
    }

    @Test
    @SuppressWarnings("unchecked")
    void localOverlayKeysBindToTheGatewaysKeyMap() {
        Map<String, Object> kustomization = Repo.yaml(Repo.path("k8s/overlays/local/kustomization.yaml"));
        Map<String, Object> environment = new LinkedHashMap<>();
        for (Object generator : (List<Object>) kustomization.get("secretGenerator")) {
            Map<String, Object> g = (Map<String, Object>) generator;
            if (g.get("name").equals("gateway-api-keys")) {
                for (Object literal : (List<Object>) g.get("literals")) {
                    String[] pair = String.valueOf(literal).split("=", 2);
                    environment.put(pair[0], pair[1]);
                }
            }
        }

        assertThat(bind(environment)).containsOnlyKeys("demo", "admin")
                .containsEntry("demo", new ApiKey("demo-key", "standard", "client"));
    }

    @Test
    void theUnderscoredFormDoesNotBind() {
        assertThat(bind(Map.of("GATEWAY_SECURITY_API_KEYS_DEMO_KEY", "k", "GATEWAY_SECURITY_API_KEYS_DEMO_PLAN", "standard")))
                .isEmpty();
    }
}
