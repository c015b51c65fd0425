package io.distpatterns.order.persistence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.platform.postgres.PostgresProperties;
import io.distpatterns.platform.postgres.PostgresServer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The shard databases of the order service, one pool each. At start every shard database is
 * created if missing and migrated with the shard schema ({@code db/migration/shard}), so a new
 * shard needs no manual SQL. Shard {@code i} is {@code orders_shard_i} (plus the configured suffix).
 */
@Component
public class ShardDatabases implements DisposableBean {

    static final String SHARD_MIGRATIONS = "classpath:db/migration/shard";
    private static final Logger log = LoggerFactory.getLogger(ShardDatabases.class);

    private final List<Shard> shards;

    ShardDatabases(PostgresServer server, PostgresProperties postgres, OrderShardsProperties properties) {
        List<Shard> opened = new ArrayList<>();
        try {
            for (int i = 0; i < properties.count(); i++) {
                String database = postgres.physicalName(properties.database(i));
                if (server.createDatabaseIfMissing(database)) {
                    log.info("Created shard database {}", database);
                }
                HikariDataSource dataSource = server.dataSource(database, properties.maxPoolSize());
                opened.add(new Shard(i, database, dataSource));
                var result = Flyway.configure().dataSource(dataSource).locations(SHARD_MIGRATIONS).load().migrate();
                log.info("Shard {} ({}) at schema version {} ({} migrations applied now)",
                        i, database, result.targetSchemaVersion, result.migrationsExecuted);
            }
        } catch (RuntimeException e) {
            opened.forEach(shard -> shard.dataSource().close());
            throw e;
        }
        this.shards = Collections.unmodifiableList(opened);
    }

    /** Every shard, in index order. */
    public List<Shard> all() {
        return shards;
    }

    /** Shard {@code index}. */
    public Shard get(int index) {
        return shards.get(index);
    }

    @Override
    public void destroy() {
        shards.forEach(shard -> shard.dataSource().close());
    }

    /** One shard: its index, database name and pool. */
    public record Shard(int index, String database, HikariDataSource dataSource) {

        public DataSource pool() {
            return dataSource;
        }
    }
}
