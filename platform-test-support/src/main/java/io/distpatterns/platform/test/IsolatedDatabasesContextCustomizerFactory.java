package io.distpatterns.platform.test;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Implements {@link IsolatedDatabases}; registered in {@code META-INF/spring.factories}. */
public class IsolatedDatabasesContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        boolean annotated = MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(IsolatedDatabases.class);
        return annotated ? new Customizer(testClass) : null;
    }

    /** Equal only for the same test class, so no two classes share a context, nor its databases. */
    private record Customizer(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            DatabaseScope scope = DatabaseScope.open();
            var server = scope.server();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("isolatedDatabases", Map.of(
                    "platform.pg.url", server.maintenanceUrl(),
                    "platform.pg.user", server.user(),
                    "platform.pg.password", server.password(),
                    "platform.pg.database-suffix", scope.suffix())));
            // Registered before any bean exists, so destroyed after all of them (pools closed first).
            if (context.getBeanFactory() instanceof DefaultListableBeanFactory beanFactory) {
                beanFactory.registerDisposableBean("isolatedDatabasesScope", (DisposableBean) scope::close);
            } else {
                context.addApplicationListener(event -> {
                    if (event instanceof org.springframework.context.event.ContextClosedEvent) {
                        scope.close();
                    }
                });
            }
        }
    }
}
