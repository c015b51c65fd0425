package io.distpatterns.platform.test;

import java.util.List;
import java.util.UUID;

import io.distpatterns.platform.postgres.PostgresServer;

/**
 * A unique database-name suffix on the test server, and the duty to drop every database that
 * carries it. Services started with {@code platform.pg.database-suffix} set to {@link #suffix()}
 * create their databases as {@code <name><suffix>}; {@link #close()} drops all of them.
 */
public final class DatabaseScope implements AutoCloseable {

    private final PostgresServer server;
    private final String suffix;

    private DatabaseScope(PostgresServer server, String suffix) {
        this.server = server;
        this.suffix = suffix;
    }

    /** A new scope on the test server with a random suffix such as {@code _t3f9a1c0d}. */
    public static DatabaseScope open() {
        return new DatabaseScope(TestPostgres.server(), "_t" + UUID.randomUUID().toString().substring(0, 8));
    }

    public PostgresServer server() {
        return server;
    }

    public String suffix() {
        return suffix;
    }

    /** The physical name of logical database {@code name} in this scope. */
    public String database(String name) {
        return name + suffix;
    }

    /** The databases that exist in this scope now. */
    public List<String> databases() {
        return server.databasesEndingWith(suffix);
    }

    /** Drops every database of this scope, disconnecting any session still open on them. */
    @Override
    public void close() {
        databases().forEach(server::dropDatabaseIfExists);
    }
}
