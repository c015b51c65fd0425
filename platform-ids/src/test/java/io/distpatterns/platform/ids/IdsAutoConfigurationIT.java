package io.distpatterns.platform.ids;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.IsolatedDatabasesContextCustomizerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** platform.ids.enabled=true in a real Spring application on a real PostgreSQL. */
class IdsAutoConfigurationIT {

    @IsolatedDatabases
    static class OwnDatabases {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void leasesAWorkerIssuesIdsExposesMetricsAndReleasesOnClose() {
        var customizer = new IsolatedDatabasesContextCustomizerFactory().createContextCustomizer(OwnDatabases.class, List.of());
        long id;
        int worker;
        try (var context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("platform.ids.enabled=true", "spring.application.name=ids-it",
                        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
                .initializers(ctx -> customizer.customizeContext(ctx, null))
                .run()) {
            IdGenerator ids = context.getBean(IdGenerator.class);
            id = ids.nextId();
            worker = context.getBean(LeasedIdGenerator.class).lease().workerId();
            MeterRegistry registry = new SimpleMeterRegistry(); // actuator binds MeterBinders in services; here, by hand
            context.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));

            assertThat(ids.nextId()).isGreaterThan(id);
            assertThat(SnowflakeLayout.decode(id).workerId()).isEqualTo(worker);
            assertThat(registry.get("snowflake.time.exhausted").gauge().value())
                    .isEqualTo((double) SnowflakeLayout.exhaustedAt().getEpochSecond());
            assertThat(registry.get("snowflake.ids.issued").functionCounter().count()).isEqualTo(2.0);
            assertThat(registry.get("snowflake.worker.id").gauge().value()).isEqualTo(worker);
        }
    }
}
