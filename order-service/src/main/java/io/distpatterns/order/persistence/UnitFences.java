package io.distpatterns.order.persistence;

import java.util.List;
import java.util.Optional;

import io.distpatterns.order.domain.StaleRouteException;
import io.distpatterns.platform.sharding.ShardKey;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The write fences of online resharding on one shard ({@code unit_fences}, shard migration V3).
 *
 * <p>Writers call {@link #admit} first in their transaction, with the map epoch they routed with:
 * it takes the shard's fence gate shared and refuses the write when the customer's range is FROZEN
 * or MOVED at a newer epoch. The mover calls {@link #freeze} (gate exclusive: it waits for the
 * running writes, and every later write sees the fence), later {@link #markMoved} in the
 * transaction that deletes the moved rows, or {@link #lift} to roll back an aborted unit.
 */
public final class UnitFences {

    /** Key of the advisory lock every write takes shared and the mover exclusively (per database). */
    static final long GATE = 7262736864L;

    private UnitFences() {
    }

    /** One fence as the mover and the sweeper read it. */
    public record Fence(long moveId, int unit, long fromExclusive, long toInclusive, boolean frozen, long epoch) {

        public boolean covers(long hash) {
            return fromExclusive < toInclusive ? hash > fromExclusive && hash <= toInclusive
                    : hash > fromExclusive || hash <= toInclusive;
        }
    }

    /**
     * Lets a write for {@code customerId} routed with map {@code routedEpoch} proceed, or throws.
     * Must run inside the write's transaction (the gate is held until it ends).
     *
     * @throws StaleRouteException when the customer's range is frozen or owned elsewhere at a newer epoch
     */
    public static void admit(JdbcTemplate jdbc, String customerId, long routedEpoch) {
        long hash = ShardKey.hash(customerId);
        List<StaleRouteException> refusals = jdbc.query("SELECT fence_state, fence_epoch FROM unit_fence(?, ?)",
                (rs, n) -> new StaleRouteException("FROZEN".equals(rs.getString(1)), rs.getLong(2), routedEpoch),
                hash, routedEpoch);
        if (!refusals.isEmpty()) {
            throw refusals.get(0);
        }
    }

    /** The epoch from which {@code customerId}'s range is owned elsewhere, if it moved off this shard after {@code routedEpoch}. */
    public static Optional<Long> movedAway(JdbcTemplate jdbc, String customerId, long routedEpoch) {
        long hash = ShardKey.hash(customerId);
        return fences(jdbc).stream().filter(f -> !f.frozen() && f.epoch() > routedEpoch && f.covers(hash))
                .map(Fence::epoch).max(Long::compare);
    }

    /** Takes the gate shared (inside a transaction) and returns every fence: for shard-wide writers such as the sweeper. */
    public static List<Fence> gateAndFences(JdbcTemplate jdbc) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock_shared(?)", GATE);
        return fences(jdbc);
    }

    public static List<Fence> fences(JdbcTemplate jdbc) {
        return jdbc.query("SELECT move_id, unit, from_exclusive, to_inclusive, state, epoch FROM unit_fences",
                (rs, n) -> new Fence(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getLong(4),
                        "FROZEN".equals(rs.getString(5)), rs.getLong(6)));
    }

    /**
     * Freezes a range (inside a transaction): waits at most {@code lockTimeoutMs} for the running
     * writes of the shard to end. Idempotent.
     */
    public static void freeze(JdbcTemplate jdbc, long moveId, int unit, long fromExclusive, long toInclusive, long epoch,
                              long lockTimeoutMs) {
        jdbc.execute("SET LOCAL lock_timeout = " + Math.max(1, lockTimeoutMs));
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", GATE);
        jdbc.update("""
                INSERT INTO unit_fences (move_id, unit, from_exclusive, to_inclusive, state, epoch)
                VALUES (?, ?, ?, ?, 'FROZEN', ?) ON CONFLICT (move_id, unit) DO NOTHING""",
                moveId, unit, fromExclusive, toInclusive, epoch);
    }

    /** The range is owned elsewhere from {@code epoch} on: writes routed with an older map are refused. */
    public static void markMoved(JdbcTemplate jdbc, long moveId, int unit, long epoch) {
        jdbc.update("UPDATE unit_fences SET state = 'MOVED', epoch = ? WHERE move_id = ? AND unit = ?", epoch, moveId, unit);
    }

    /** Rolls a freeze back (abort before the switch). */
    public static void lift(JdbcTemplate jdbc, long moveId, int unit) {
        jdbc.update("DELETE FROM unit_fences WHERE move_id = ? AND unit = ? AND state = 'FROZEN'", moveId, unit);
    }
}
