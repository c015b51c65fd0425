package io.distpatterns.platform.consumer;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Creates the library's tables in a service's database, each set with its own Flyway history so
 * they never collide with the service's migrations: {@code processed_events} where the effects are
 * written (every shard, for a sharded service), {@code dead_letters} where the admin API keeps them.
 */
public final class ConsumerSchema {

    private ConsumerSchema() {
    }

    public static void migrateProcessedEvents(DataSource dataSource) {
        migrate(dataSource, "classpath:db/consumer/processed", "processed_events_schema_history");
    }

    public static void migrateDeadLetters(DataSource dataSource) {
        migrate(dataSource, "classpath:db/consumer/deadletters", "dead_letters_schema_history");
    }

    private static void migrate(DataSource dataSource, String location, String history) {
        Flyway.configure().dataSource(dataSource).locations(location).table(history)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }
}
