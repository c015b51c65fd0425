package io.distpatterns.relay.persistence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.distpatterns.platform.outbox.OutboxSchema;
import io.distpatterns.platform.postgres.PostgresServer;

/**
 * The outboxes to relay, rebuilt on every {@link #refresh()}: the logical databases named by a
 * supplier (configured sources plus the order shards of the current shard map), each mapped to its
 * physical name with the configured suffix. A database is relayed once it exists and has an
 * {@code outbox_events} table; the relay then brings its outbox schema up to the library's version
 * (additive migrations only, under Flyway's lock, so running services are unaffected). A database
 * that is not there yet is looked at again on the next refresh: a new shard needs no restart.
 */
public final class SourceCatalog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourceCatalog.class);

    private final PostgresServer server;
    private final Supplier<Set<String>> logicalNames;
    private final java.util.function.UnaryOperator<String> physicalName;
    private final int poolSize;
    private final Map<String, OutboxSource> open = new ConcurrentHashMap<>();

    public SourceCatalog(PostgresServer server, Supplier<Set<String>> logicalNames,
                         java.util.function.UnaryOperator<String> physicalName, int poolSize) {
        this.server = server;
        this.logicalNames = logicalNames;
        this.physicalName = physicalName;
        this.poolSize = poolSize;
    }

    /** Opens the sources that became relayable; returns the newly opened ones. */
    public synchronized List<OutboxSource> refresh() {
        Set<String> wanted;
        try {
            wanted = new LinkedHashSet<>(logicalNames.get());
        } catch (RuntimeException e) {
            log.warn("Cannot list the outboxes to relay ({}); keeping the {} already open", e.getMessage(), open.size());
            return List.of();
        }
        List<OutboxSource> added = new ArrayList<>();
        for (String name : wanted) {
            if (open.containsKey(name)) {
                continue;
            }
            tryOpen(name).ifPresent(source -> {
                open.put(name, source);
                added.add(source);
            });
        }
        return added;
    }

    private Optional<OutboxSource> tryOpen(String name) {
        String database = physicalName.apply(name);
        HikariDataSource dataSource = null;
        try {
            if (!server.databaseExists(database)) {
                return Optional.empty();
            }
            dataSource = server.dataSource(database, poolSize);
            dataSource.setConnectionTimeout(5000);
            Boolean hasOutbox = new org.springframework.jdbc.core.JdbcTemplate(dataSource).queryForObject(
                    "SELECT to_regclass('public.outbox_events') IS NOT NULL", Boolean.class);
            if (!Boolean.TRUE.equals(hasOutbox)) {
                dataSource.close();
                return Optional.empty();
            }
            OutboxSchema.migrate(dataSource);
            log.info("Relaying the outbox of {} (database {})", name, database);
            return Optional.of(new OutboxSource(name, database, dataSource));
        } catch (RuntimeException e) {
            log.warn("Cannot open the outbox of {} (database {}) yet: {}", name, database, e.getMessage());
            if (dataSource != null) {
                dataSource.close();
            }
            return Optional.empty();
        }
    }

    public List<OutboxSource> sources() {
        return List.copyOf(open.values());
    }

    public Optional<OutboxSource> source(String name) {
        return Optional.ofNullable(open.get(name));
    }

    @Override
    public synchronized void close() {
        open.values().forEach(OutboxSource::close);
        open.clear();
    }
}
