package io.distpatterns.platform.outbox;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Creates and upgrades the outbox tables in a service's database with their own Flyway history
 * ({@code outbox_schema_history}), so the library's migrations never collide with the service's.
 */
public final class OutboxSchema {

    private OutboxSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/outbox")
                .table("outbox_schema_history")
                .baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
    }
}
