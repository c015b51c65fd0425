package io.distpatterns.platform.test;

import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring application started the way {@link IsolatedDatabases} starts one: it creates its own
 * database with the scope's suffix, Flyway migrates it, and closing the context drops it.
 */
class IsolatedDatabasesIT {

    @IsolatedDatabases
    static class AnnotatedTest {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProbeApplication {
    }

    @Test
    void serviceCreatesAndMigratesItsDatabaseUnderUniqueSuffixAndCloseDropsIt() {
        var customizer = new IsolatedDatabasesContextCustomizerFactory()
                .createContextCustomizer(AnnotatedTest.class, List.of());
        String database;

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProbeApplication.class)
                .web(WebApplicationType.NONE)
                .properties("platform.pg.database=probe", "spring.flyway.locations=classpath:db/probe")
                .initializers(ctx -> customizer.customizeContext(ctx, null))
                .run()) {
            String suffix = context.getEnvironment().getProperty("platform.pg.database-suffix");
            database = "probe" + suffix;

            assertThat(suffix).matches("_t[0-9a-f]{8}");
            assertThat(((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl()).endsWith("/" + database);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo(database);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM probes", Integer.class)).isZero();
        }

        assertThat(TestPostgres.server().databaseExists(database)).isFalse();
    }

    @Test
    void classesWithoutAnnotationGetNoCustomizer() {
        var customizer = new IsolatedDatabasesContextCustomizerFactory()
                .createContextCustomizer(IsolatedDatabasesIT.class, List.of());

        assertThat(customizer).isNull();
    }
}
