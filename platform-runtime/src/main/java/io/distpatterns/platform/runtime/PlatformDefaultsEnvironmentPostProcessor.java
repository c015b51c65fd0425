package io.distpatterns.platform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds {@value #RESOURCE} as the last (lowest-precedence) property source, so every service
 * starts with the platform's observability defaults and can still override each of them.
 */
public final class PlatformDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String RESOURCE = "platform-defaults.properties";
    static final String PROPERTY_SOURCE_NAME = "platformDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            return;
        }
        try {
            environment.getPropertySources()
                    .addLast(new ResourcePropertySource(PROPERTY_SOURCE_NAME, new ClassPathResource(RESOURCE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from platform-runtime", e);
        }
    }
}
