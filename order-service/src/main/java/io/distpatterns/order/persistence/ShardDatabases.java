package io.distpatterns.order.persistence;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.order.domain.ShardUnavailableException;
import io.distpatterns.platform.consumer.ConsumerSchema;
import io.distpatterns.platform.outbox.OutboxSchema;
import io.distpatterns.platform.postgres.PostgresProperties;
import io.distpatterns.platform.postgres.PostgresServer;
import io.distpatterns.platform.sharding.Shard;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One connection pool per shard database, opened the first time a shard of the map is used (and
 * for every shard at start): the database is created if missing and migrated with the shard
 * schema ({@code db/migration/shard}) plus the outbox and processed events, so a shard added to the map needs no manual
 * step. A shard's {@code location} is a database name on the platform's PostgreSQL server (plus
 * the configured suffix). A shard that cannot be reached makes {@link #inTransaction} and
 * {@link #read} fail with {@link ShardUnavailableException}; the others keep working. Once a shard
 * failed to connect it is refused at once, with one probe per {@code outageProbeInterval}
 * ({@link ShardOutages}), rather than making every request wait the connection timeout.
 */
@Component
public class ShardDatabases implements DisposableBean {

    static final String SHARD_MIGRATIONS = "classpath:db/migration/shard";
    private static final Logger log = LoggerFactory.getLogger(ShardDatabases.class);

    private final PostgresServer server;
    private final PostgresProperties postgres;
    private final OrderShardsProperties properties;
    private final Map<String, OpenShard> open = new ConcurrentHashMap<>();
    private final ShardOutages outages;

    ShardDatabases(PostgresServer server, PostgresProperties postgres, OrderShardsProperties properties) {
        this.server = server;
        this.postgres = postgres;
        this.properties = properties;
        this.outages = new ShardOutages(properties.outageProbeInterval(), System::nanoTime);
    }

    /** An open shard: its database name, pool and transaction template. */
    public record OpenShard(String shardId, String database, HikariDataSource dataSource, JdbcTemplate jdbc,
                            TransactionTemplate tx) {
    }

    /** Runs {@code work} in one transaction on {@code shard}. */
    public <T> T inTransaction(Shard shard, Function<OpenShard, T> work) {
        return outages.guard(shard.id(), () -> {
            OpenShard db = open(shard);
            try {
                return db.tx().execute(status -> work.apply(db));
            } catch (RuntimeException e) {
                throw unavailableOr(shard, e);
            }
        });
    }

    /** Runs read-only {@code work} on {@code shard} without an explicit transaction. */
    public <T> T read(Shard shard, Function<OpenShard, T> work) {
        return outages.guard(shard.id(), () -> {
            OpenShard db = open(shard);
            try {
                return work.apply(db);
            } catch (RuntimeException e) {
                throw unavailableOr(shard, e);
            }
        });
    }

    /**
     * A connection-level failure (no connection, connection lost, server shutting down) becomes
     * {@link ShardUnavailableException}; anything else (a constraint, a bug) stays what it is.
     */
    static RuntimeException unavailableOr(Shard shard, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return new ShardUnavailableException(shard.id(), e);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return new ShardUnavailableException(shard.id(), e);
            }
            if (t instanceof SQLException sql && "Connection is closed".equals(sql.getMessage())) {
                return new ShardUnavailableException(shard.id(), e);
            }
        }
        return e;
    }

    /** The shard's pool, opening (creating, migrating) it on first use. */
    public OpenShard open(Shard shard) {
        OpenShard existing = open.get(shard.id());
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = open.get(shard.id());
            if (existing != null) {
                return existing;
            }
            String database = postgres.physicalName(shard.location());
            HikariDataSource dataSource = null;
            try {
                if (server.createDatabaseIfMissing(database)) {
                    log.info("Created shard database {}", database);
                }
                dataSource = server.dataSource(database, properties.maxPoolSize());
                dataSource.setConnectionTimeout(properties.connectionTimeout().toMillis());
                var result = Flyway.configure().dataSource(dataSource).locations(SHARD_MIGRATIONS).load().migrate();
                OutboxSchema.migrate(dataSource);
                ConsumerSchema.migrateProcessedEvents(dataSource);
                log.info("Shard {} ({}) open at schema version {}", shard.id(), database, result.targetSchemaVersion);
                OpenShard opened = new OpenShard(shard.id(), database, dataSource, new JdbcTemplate(dataSource),
                        new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
                open.put(shard.id(), opened);
                return opened;
            } catch (RuntimeException e) {
                if (dataSource != null) {
                    dataSource.close();
                }
                throw new ShardUnavailableException(shard.id(), e);
            }
        }
    }

    /** The shards opened so far. */
    public Map<String, OpenShard> opened() {
        return Map.copyOf(open);
    }

    @Override
    public void destroy() {
        open.values().forEach(shard -> shard.dataSource().close());
    }
}
