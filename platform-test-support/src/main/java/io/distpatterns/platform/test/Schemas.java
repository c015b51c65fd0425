package io.distpatterns.platform.test;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** Looks at what Flyway left in a database. */
public final class Schemas {

    private Schemas() {
    }

    /** Tables of the {@code public} schema, sorted, Flyway's history table included. */
    public static List<String> tables(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
                String.class);
    }

    /** The highest successfully applied Flyway version. */
    public static String flywayVersion(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForObject(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                        + "ORDER BY installed_rank DESC LIMIT 1", String.class);
    }
}
