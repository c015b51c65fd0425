package io.distpatterns.platform.test;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * In tests, spans are recorded but not exported (no collector runs on 9411 during a build). A test
 * that checks the export sets {@code management.tracing.export.enabled=true} itself, which wins.
 */
public class QuietTracingContextCustomizerFactory implements ContextCustomizerFactory {

    private static final ContextCustomizer QUIET = new QuietTracing();

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return QUIET;
    }

    private record QuietTracing() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            // Consumed by platform-defaults.properties: management.tracing.export.enabled=${PLATFORM_TRACING_EXPORT:true}
            context.getEnvironment().getPropertySources()
                    .addLast(new MapPropertySource("quietTracing", Map.of("PLATFORM_TRACING_EXPORT", "false")));
        }
    }
}
