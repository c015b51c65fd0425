package io.distpatterns.relay.persistence;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The lease table in the relay's database: instances announce themselves with a heartbeat, count
 * the live ones, and take, renew and give back partition leases. Every statement is one short
 * transaction; taking uses {@code FOR UPDATE SKIP LOCKED} on the lease rows only, never on outbox
 * rows (that is what keeps one aggregate on one instance).
 */
public final class PartitionLeases {

    private final JdbcTemplate jdbc;
    private final int partitions;

    public PartitionLeases(DataSource relayDatabase, int partitions) {
        this.jdbc = new JdbcTemplate(relayDatabase);
        this.partitions = partitions;
    }

    /** Creates the partition rows; refuses to run with a partition count other than the database's. */
    public void initialize() {
        jdbc.update("INSERT INTO relay_settings (name, value) VALUES ('partitions', ?) ON CONFLICT DO NOTHING",
                Integer.toString(partitions));
        String stored = jdbc.queryForObject("SELECT value FROM relay_settings WHERE name = 'partitions'", String.class);
        if (!Integer.toString(partitions).equals(stored)) {
            throw new IllegalStateException("relay.partitions is " + partitions + " but the relay database was set up with "
                    + stored + " partitions; changing it would move aggregates between partitions while leased");
        }
        jdbc.update("INSERT INTO relay_partition_leases (partition) SELECT generate_series(0, ? - 1) ON CONFLICT DO NOTHING",
                partitions);
    }

    public int partitions() {
        return partitions;
    }

    /** Records that {@code instance} is alive; returns how many instances were alive within {@code ttl}. */
    public int heartbeat(String instance, Duration ttl) {
        jdbc.update("""
                INSERT INTO relay_instances (instance_id, heartbeat_at) VALUES (?, now())
                ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()""", instance);
        jdbc.update("DELETE FROM relay_instances WHERE heartbeat_at < now() - make_interval(secs => ?)",
                ttl.multipliedBy(10).toMillis() / 1000.0);
        return jdbc.queryForObject("""
                SELECT count(*) FROM relay_instances WHERE heartbeat_at > now() - make_interval(secs => ?)""",
                Integer.class, ttl.toMillis() / 1000.0);
    }

    /** Extends the leases {@code instance} still holds with the given tokens; returns the partitions renewed. */
    public List<Integer> renew(String instance, Map<Integer, Long> tokens, Duration ttl) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        Integer[] parts = tokens.keySet().toArray(Integer[]::new);
        Long[] toks = java.util.Arrays.stream(parts).map(tokens::get).toArray(Long[]::new);
        return jdbc.queryForList("""
                UPDATE relay_partition_leases l SET expires_at = now() + make_interval(secs => ?)
                  FROM unnest(?::integer[], ?::bigint[]) AS mine(partition, token)
                 WHERE l.partition = mine.partition AND l.fencing_token = mine.token AND l.owner = ?
                RETURNING l.partition""", Integer.class, ttl.toMillis() / 1000.0, array(parts), array(toks), instance);
    }

    /** Takes up to {@code count} free or expired partitions; returns partition to its new fencing token. */
    public Map<Integer, Long> acquire(String instance, int count, Duration ttl) {
        Map<Integer, Long> taken = new HashMap<>();
        if (count <= 0) {
            return taken;
        }
        jdbc.query("""
                UPDATE relay_partition_leases l
                   SET owner = ?, fencing_token = l.fencing_token + 1, acquired_at = now(),
                       expires_at = now() + make_interval(secs => ?)
                 WHERE l.partition IN (SELECT partition FROM relay_partition_leases
                                        WHERE owner IS NULL OR expires_at < now()
                                        ORDER BY partition LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING l.partition, l.fencing_token""",
                rs -> {
                    taken.put(rs.getInt(1), rs.getLong(2));
                }, instance, ttl.toMillis() / 1000.0, count);
        return taken;
    }

    /** Gives a lease back so another instance can take it at once. */
    public void release(String instance, int partition, long token) {
        jdbc.update("""
                UPDATE relay_partition_leases SET owner = NULL, expires_at = '-infinity'
                 WHERE partition = ? AND owner = ? AND fencing_token = ?""", partition, instance, token);
    }

    public void forget(String instance) {
        jdbc.update("DELETE FROM relay_instances WHERE instance_id = ?", instance);
    }

    /** partition -> owner (null when free), for health details and tests. */
    public Map<Integer, String> owners() {
        Map<Integer, String> owners = new java.util.TreeMap<>();
        jdbc.query("SELECT partition, CASE WHEN expires_at > now() THEN owner END FROM relay_partition_leases",
                rs -> {
                    owners.put(rs.getInt(1), rs.getString(2));
                });
        return owners;
    }

    private static String array(Object[] values) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ",").append(values[i]);
        }
        return s.append('}').toString();
    }
}
