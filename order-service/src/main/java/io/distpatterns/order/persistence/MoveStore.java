package io.distpatterns.order.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.sharding.MovePlan;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapDocument;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves and their units in the {@code order_directory} database (directory migration V2): the
 * mover's persisted state, from which it resumes after a crash. Also keeps the service's own map
 * when it runs without shard-router ({@code local_shard_map}).
 */
public class MoveStore {

    /** A move's lifecycle. RUNNING and PAUSED are open; at most one move is open. */
    public enum MoveState { RUNNING, PAUSED, COMPLETED, ABORTED, FAILED }

    /** A unit's progress, in order. */
    public enum UnitStatus { PENDING, FROZEN, COPIED, VERIFIED, SWITCHED, DONE }

    public record Move(long id, String kind, String shardId, String location, int weight, ShardMap base, MoveState state,
                       String lastError, Instant createdAt, Instant finishedAt) {

        public boolean adding() {
            return "ADD".equals(kind);
        }
    }

    public record Unit(long moveId, int step, long token, long fromExclusive, long toInclusive, String fromShard, String toShard,
                       double fraction, UnitStatus status, Integer customers, Integer orders, String checksum, Long epoch,
                       Instant frozenAt, Instant switchedAt, Instant doneAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    public MoveStore(DataSource directory, JsonMapper json) {
        this.jdbc = new JdbcTemplate(directory);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(directory));
        this.json = json;
    }

    /**
     * Stores a new RUNNING move and its units (one per step, each moving one range or, for a drain
     * step whose range stays with the same shard, none: from and to are then the shard itself); fails
     * if another move is open.
     */
    public void create(long id, String kind, String shardId, String location, int weight, ShardMap base, long[] tokens,
                       List<MovePlan> units) {
        tx.executeWithoutResult(status -> {
            jdbc.update("""
                    INSERT INTO shard_moves (id, kind, shard_id, location, weight, base_map, state)
                    VALUES (?, ?, ?, ?, ?, ?, 'RUNNING')""",
                    id, kind, shardId, location, weight, json.writeValueAsString(ShardMapDocument.of(base)));
            List<Object[]> rows = new java.util.ArrayList<>();
            for (int k = 0; k < units.size(); k++) {
                if (units.get(k).ranges().isEmpty()) { // a drained token whose range passes to the shard's next token: no data moves
                    rows.add(new Object[] {id, k, tokens[k], tokens[k], tokens[k], shardId, shardId, 0.0});
                    continue;
                }
                MovePlan.RangeMove range = units.get(k).ranges().get(0);
                rows.add(new Object[] {id, k, tokens[k], range.fromExclusive(), range.toInclusive(), range.from(), range.to(),
                        range.fraction()});
            }
            jdbc.batchUpdate("""
                    INSERT INTO shard_move_units (move_id, step, token, from_exclusive, to_inclusive, from_shard, to_shard, fraction, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')""", rows);
        });
    }

    public Optional<Move> open() {
        return jdbc.query("SELECT * FROM shard_moves WHERE state IN ('RUNNING', 'PAUSED')", this::move).stream().findFirst();
    }

    public Optional<Move> find(long id) {
        return jdbc.query("SELECT * FROM shard_moves WHERE id = ?", this::move, id).stream().findFirst();
    }

    public List<Move> recent(int limit) {
        return jdbc.query("SELECT * FROM shard_moves ORDER BY id DESC LIMIT ?", this::move, limit);
    }

    public List<Unit> units(long moveId) {
        return jdbc.query("SELECT * FROM shard_move_units WHERE move_id = ? ORDER BY step", MoveStore::unit, moveId);
    }

    public Unit unit(long moveId, int step) {
        return jdbc.queryForObject("SELECT * FROM shard_move_units WHERE move_id = ? AND step = ?", MoveStore::unit, moveId, step);
    }

    /** Sets the state if the move is in one of {@code from}; returns whether it changed. */
    public boolean transition(long id, MoveState to, String error, MoveState... from) {
        String[] names = java.util.Arrays.stream(from).map(Enum::name).toArray(String[]::new);
        boolean terminal = to == MoveState.COMPLETED || to == MoveState.ABORTED || to == MoveState.FAILED;
        return jdbc.update("""
                UPDATE shard_moves SET state = ?, last_error = coalesce(?, last_error), updated_at = now(),
                       finished_at = CASE WHEN ? THEN now() ELSE finished_at END
                 WHERE id = ? AND state = ANY (?)""", to.name(), error, terminal, id, names) == 1;
    }

    public void unitFrozen(long moveId, int step) {
        jdbc.update("UPDATE shard_move_units SET status = 'FROZEN', frozen_at = coalesce(frozen_at, now()) WHERE move_id = ? AND step = ?",
                moveId, step);
    }

    public void unitCopied(long moveId, int step, int customers, int orders) {
        jdbc.update("UPDATE shard_move_units SET status = 'COPIED', customers = ?, orders = ? WHERE move_id = ? AND step = ?",
                customers, orders, moveId, step);
    }

    public void unitVerified(long moveId, int step, String checksum) {
        jdbc.update("UPDATE shard_move_units SET status = 'VERIFIED', checksum = ? WHERE move_id = ? AND step = ?",
                checksum, moveId, step);
    }

    public void unitSwitched(long moveId, int step, long epoch) {
        jdbc.update("UPDATE shard_move_units SET status = 'SWITCHED', epoch = ?, switched_at = now() WHERE move_id = ? AND step = ?",
                epoch, moveId, step);
    }

    public void unitDone(long moveId, int step) {
        jdbc.update("UPDATE shard_move_units SET status = 'DONE', done_at = now() WHERE move_id = ? AND step = ?", moveId, step);
    }

    /** Back to PENDING (a unit rolled back by an abort, or a copy that failed verification). */
    public void unitReset(long moveId, int step) {
        jdbc.update("""
                UPDATE shard_move_units SET status = 'PENDING', customers = NULL, orders = NULL, checksum = NULL, frozen_at = NULL
                 WHERE move_id = ? AND step = ?""", moveId, step);
    }

    /** The service's own map when it runs without shard-router. */
    public Optional<ShardMap> localMap() {
        return jdbc.queryForList("SELECT document FROM local_shard_map", String.class).stream().findFirst()
                .map(doc -> json.readValue(doc, ShardMapDocument.class).toMap());
    }

    /** Stores {@code map} if the stored one is at {@code expectedVersion} (or none is stored); returns whether it did. */
    public boolean saveLocalMap(ShardMap map, long expectedVersion) {
        String doc = json.writeValueAsString(ShardMapDocument.of(map));
        return tx.execute(status -> {
            List<Long> stored = jdbc.queryForList("SELECT version FROM local_shard_map FOR UPDATE", Long.class);
            if (stored.isEmpty()) {
                jdbc.update("INSERT INTO local_shard_map (version, document) VALUES (?, ?)", map.version(), doc);
                return true;
            }
            if (stored.get(0) != expectedVersion) {
                return false;
            }
            jdbc.update("UPDATE local_shard_map SET version = ?, document = ?", map.version(), doc);
            return true;
        });
    }

    private Move move(ResultSet rs, int n) throws SQLException {
        return new Move(rs.getLong("id"), rs.getString("kind"), rs.getString("shard_id"), rs.getString("location"),
                rs.getInt("weight"), json.readValue(rs.getString("base_map"), ShardMapDocument.class).toMap(),
                MoveState.valueOf(rs.getString("state")), rs.getString("last_error"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Unit unit(ResultSet rs, int n) throws SQLException {
        return new Unit(rs.getLong("move_id"), rs.getInt("step"), rs.getLong("token"), rs.getLong("from_exclusive"),
                rs.getLong("to_inclusive"), rs.getString("from_shard"), rs.getString("to_shard"), rs.getDouble("fraction"),
                UnitStatus.valueOf(rs.getString("status")), (Integer) rs.getObject("customers"), (Integer) rs.getObject("orders"),
                rs.getString("checksum"), (Long) rs.getObject("epoch"), instant(rs.getTimestamp("frozen_at")),
                instant(rs.getTimestamp("switched_at")), instant(rs.getTimestamp("done_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
