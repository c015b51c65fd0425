package io.distpatterns.platform.ids;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

/**
 * The lease table for Snowflake worker IDs in PostgreSQL ({@code worker_leases}, migration
 * {@code db/snowflake}). Acquiring picks the longest-expired worker ID in the configured range with
 * {@code FOR UPDATE SKIP LOCKED} and bumps its fencing token in the same statement, so two
 * instances never come out holding the same ID; expiry is decided by the database's clock alone.
 */
public final class PostgresWorkerLeases {

    private static final String ACQUIRE = """
            UPDATE worker_leases w
               SET owner = ?, fencing_token = w.fencing_token + 1,
                   expires_at = now() + make_interval(secs => ?), acquired_at = now()
             WHERE w.worker_id = (SELECT worker_id FROM worker_leases
                                   WHERE expires_at < now() AND worker_id BETWEEN ? AND ?
                                   ORDER BY expires_at, worker_id
                                   LIMIT 1 FOR UPDATE SKIP LOCKED)
               AND w.expires_at < now()
            RETURNING w.worker_id, w.fencing_token, w.last_timestamp
            """;
    private static final String RENEW = """
            UPDATE worker_leases
               SET expires_at = now() + make_interval(secs => ?), last_timestamp = GREATEST(last_timestamp, ?)
             WHERE worker_id = ? AND fencing_token = ?
            """;
    private static final String RELEASE = """
            UPDATE worker_leases SET expires_at = now() - interval '1 millisecond', last_timestamp = ?, owner = NULL
             WHERE worker_id = ? AND fencing_token = ?
            """;

    private final DataSource dataSource;
    private final int minWorkerId;
    private final int maxWorkerId;

    public PostgresWorkerLeases(DataSource dataSource, int minWorkerId, int maxWorkerId) {
        if (minWorkerId < 0 || maxWorkerId > SnowflakeLayout.MAX_WORKER_ID || minWorkerId > maxWorkerId) {
            throw new IllegalArgumentException("worker ID range [" + minWorkerId + ", " + maxWorkerId
                    + "] is not within [0, " + SnowflakeLayout.MAX_WORKER_ID + "]");
        }
        this.dataSource = dataSource;
        this.minWorkerId = minWorkerId;
        this.maxWorkerId = maxWorkerId;
    }

    /** A freshly acquired lease: the worker ID, its fencing token and the floor timestamp. */
    public record Grant(int workerId, long fencingToken, long floorMillis) {
    }

    /**
     * Leases a free worker ID for {@code ttl}.
     *
     * @throws NoFreeWorkerIdException when every worker ID in the range is held
     */
    public Grant acquire(String owner, Duration ttl) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
            ps.setString(1, owner);
            ps.setDouble(2, ttl.toMillis() / 1000.0);
            ps.setInt(3, minWorkerId);
            ps.setInt(4, maxWorkerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NoFreeWorkerIdException("every worker ID in [" + minWorkerId + ", " + maxWorkerId
                            + "] is leased by a live instance; stop one or widen platform.ids.worker-ids");
                }
                return new Grant(rs.getInt(1), rs.getLong(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new IdGenerationException("cannot lease a worker ID: " + e.getMessage(), e);
        }
    }

    /**
     * Extends the lease by {@code ttl} from the database's now and records {@code reservedMillis} as
     * the highest timestamp this holder may use. Returns false when the lease was taken over.
     */
    public boolean renew(Grant grant, Duration ttl, long reservedMillis) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RENEW)) {
            ps.setDouble(1, ttl.toMillis() / 1000.0);
            ps.setLong(2, reservedMillis);
            ps.setInt(3, grant.workerId());
            ps.setLong(4, grant.fencingToken());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IdGenerationException("cannot renew the lease on worker " + grant.workerId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the worker ID back at once, recording {@code lastIssuedMillis} (the holder has stopped
     * issuing) so the next holder can start right above it.
     */
    public void release(Grant grant, long lastIssuedMillis) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE)) {
            ps.setLong(1, lastIssuedMillis);
            ps.setInt(2, grant.workerId());
            ps.setLong(3, grant.fencingToken());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IdGenerationException("cannot release worker " + grant.workerId() + ": " + e.getMessage(), e);
        }
    }
}
