package io.distpatterns.geo.persistence;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Consumer;

import io.distpatterns.geo.domain.DriverPosition;
import io.distpatterns.geo.domain.DriverStatus;
import io.distpatterns.geo.domain.PositionStore;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code driver_locations} in PostgreSQL. A batch is one statement: the positions travel as five
 * arrays, {@code unnest}ed into an upsert that keeps a row recorded later than the incoming one.
 */
@Repository
class JdbcPositionStore implements PositionStore {

    private static final String UPSERT = """
            INSERT INTO driver_locations (driver_id, lat, lon, status, recorded_at)
            SELECT * FROM unnest(?::varchar[], ?::float8[], ?::float8[], ?::varchar[], ?::timestamptz[])
            ON CONFLICT (driver_id) DO UPDATE
               SET lat = EXCLUDED.lat, lon = EXCLUDED.lon, status = EXCLUDED.status, recorded_at = EXCLUDED.recorded_at
             WHERE driver_locations.recorded_at <= EXCLUDED.recorded_at
            """;

    /** Uses the index on recorded_at. */
    private static final String LOAD = """
            SELECT driver_id, lat, lon, status, recorded_at FROM driver_locations WHERE recorded_at > ?
            """;

    private final JdbcTemplate jdbc;

    JdbcPositionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void saveAll(Collection<DriverPosition> positions) {
        if (positions.isEmpty()) {
            return;
        }
        int n = positions.size();
        String[] ids = new String[n];
        Double[] lats = new Double[n];
        Double[] lons = new Double[n];
        String[] statuses = new String[n];
        Timestamp[] recordedAts = new Timestamp[n];
        int i = 0;
        for (DriverPosition p : positions) {
            ids[i] = p.driverId();
            lats[i] = p.lat();
            lons[i] = p.lon();
            statuses[i] = p.status().name();
            recordedAts[i] = Timestamp.from(p.recordedAt());
            i++;
        }
        jdbc.execute((ConnectionCallback<Void>) c -> {
            Array[] arrays = {
                    c.createArrayOf("varchar", ids), c.createArrayOf("float8", lats), c.createArrayOf("float8", lons),
                    c.createArrayOf("varchar", statuses), c.createArrayOf("timestamptz", recordedAts)};
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (int k = 0; k < arrays.length; k++) {
                    ps.setArray(k + 1, arrays[k]);
                }
                ps.executeUpdate();
            } finally {
                for (Array a : arrays) {
                    a.free();
                }
            }
            return null;
        });
    }

    @Override
    public int loadRecordedAfter(Instant since, Consumer<DriverPosition> sink) {
        int[] count = {0};
        jdbc.query(c -> {
            PreparedStatement ps = c.prepareStatement(LOAD);
            ps.setFetchSize(10_000);
            ps.setTimestamp(1, Timestamp.from(since));
            return ps;
        }, rs -> {
            sink.accept(new DriverPosition(rs.getString(1), rs.getDouble(2), rs.getDouble(3),
                    DriverStatus.valueOf(rs.getString(4)), rs.getTimestamp(5).toInstant()));
            count[0]++;
        });
        return count[0];
    }
}
