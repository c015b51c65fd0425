package io.distpatterns.platform.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A PostgreSQL server that holds many databases of the platform.
 *
 * <p>Given the JDBC URL of any database on the server (normally the maintenance database
 * {@code postgres}), it derives the URL of every other database by replacing the path and
 * keeping host, port and parameters, so {@code jdbc:postgresql://db:5432/postgres?ssl=true}
 * gives {@code jdbc:postgresql://db:5432/orders_shard_0?ssl=true}. Database names are checked
 * against {@value #DATABASE_NAME} before they reach SQL. Creating is idempotent and safe when
 * several processes race to create the same database.
 */
public final class PostgresServer {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    /** Lower-case identifiers only: no quoting surprises, no injection. */
    public static final String DATABASE_NAME = "[a-z_][a-z0-9_]{0,62}";

    private static final java.util.regex.Pattern URL =
            java.util.regex.Pattern.compile("^(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?$");
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(DATABASE_NAME);
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final String UNIQUE_VIOLATION = "23505";

    private final String serverPrefix;
    private final String maintenanceDatabase;
    private final String parameters;
    private final String user;
    private final String password;

    public PostgresServer(String jdbcUrl, String user, String password) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a PostgreSQL JDBC URL: '" + jdbcUrl + "' (expected jdbc:postgresql://host:port/database)");
        }
        this.serverPrefix = m.group(1);
        String path = m.group(2) == null ? "" : m.group(2).substring(1);
        this.maintenanceDatabase = path.isEmpty() ? "postgres" : path;
        this.parameters = m.group(3) == null ? "" : m.group(3);
        this.user = user;
        this.password = password == null ? "" : password;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return serverPrefix + "/" + requireValidName(database) + parameters;
    }

    /** The JDBC URL this server was described by, for messages. */
    public String maintenanceUrl() {
        return serverPrefix + "/" + maintenanceDatabase + parameters;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Creates {@code database} unless it exists; returns whether this call created it. */
    public boolean createDatabaseIfMissing(String database) {
        requireValidName(database);
        try (Connection c = connectToMaintenanceDatabase()) {
            if (exists(c, database)) {
                return false;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
                return true;
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return false; // another process created it between our check and our CREATE
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot create database '" + database + "' on "
                    + maintenanceUrl() + " as user '" + user + "': " + e.getMessage(), e);
        }
    }

    /** Whether {@code database} exists on this server. */
    public boolean databaseExists(String database) {
        requireValidName(database);
        try (Connection c = connectToMaintenanceDatabase()) {
            return exists(c, database);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot reach " + maintenanceUrl() + ": " + e.getMessage(), e);
        }
    }

    /** Names of the databases on this server that end with {@code suffix}. */
    public List<String> databasesEndingWith(String suffix) {
        try (Connection c = connectToMaintenanceDatabase();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT datname FROM pg_database WHERE right(datname, length(?)) = ? ORDER BY datname")) {
            ps.setString(1, suffix);
            ps.setString(2, suffix);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot list databases on " + maintenanceUrl() + ": " + e.getMessage(), e);
        }
    }

    /** Drops {@code database} if it exists, disconnecting anyone still connected to it. */
    public void dropDatabaseIfExists(String database) {
        requireValidName(database);
        try (Connection c = connectToMaintenanceDatabase(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot drop database '" + database + "': " + e.getMessage(), e);
        }
    }

    /** A pooled DataSource for {@code database}; the caller closes it. */
    public HikariDataSource dataSource(String database, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(database));
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName(database);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        return new HikariDataSource(config);
    }

    private Connection connectToMaintenanceDatabase() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(maintenanceUrl(), props);
    }

    private static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String requireValidName(String database) {
        if (database == null || !NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("invalid database name '" + database + "': must match " + DATABASE_NAME);
        }
        return database;
    }
}
