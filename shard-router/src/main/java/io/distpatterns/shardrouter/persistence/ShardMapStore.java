package io.distpatterns.shardrouter.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.shardrouter.config.ShardRouterProperties;
import io.distpatterns.shardrouter.domain.StaleMapVersionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shard map in shard-router's database: {@code shards}, their ring tokens ({@code shard_tokens}),
 * {@code pinned_keys} and the single-row {@code shard_map_version}. Every change runs in one transaction that first locks the version
 * row, so concurrent edits (also from several shard-router instances) apply one after another,
 * each to the latest map, and an edit made against an older version fails as stale. Reads reuse an
 * in-memory copy while the version in the database is unchanged.
 */
@Repository
public class ShardMapStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate tx;
    private final int vnodesPerShard;
    private volatile ShardMap cached;

    ShardMapStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, ShardRouterProperties properties) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tx = tx;
        this.vnodesPerShard = properties.vnodesPerShard();
    }

    /** The current map (one indexed read of the version when nothing changed). */
    public ShardMap current() {
        long version = jdbc.sql("SELECT version FROM shard_map_version").query(Long.class).single();
        ShardMap map = cached;
        if (map == null || map.version() != version) {
            map = tx.execute(status -> load(jdbc.sql("SELECT version FROM shard_map_version").query(Long.class).single()));
            cached = map;
        }
        return map;
    }

    /** Before and after of one change. */
    public record Change(ShardMap before, ShardMap after) {
    }

    /**
     * Applies {@code edit} to the current map under the version lock and stores the result as the
     * next version.
     *
     * @param expectedVersion the version the caller edited, or {@code null} to edit whatever is current
     * @throws StaleMapVersionException when {@code expectedVersion} is not the current version
     */
    public Change change(Long expectedVersion, UnaryOperator<ShardMap> edit) {
        Change change = tx.execute(status -> {
            long version = jdbc.sql("SELECT version FROM shard_map_version FOR UPDATE").query(Long.class).single();
            if (expectedVersion != null && expectedVersion != version) {
                throw new StaleMapVersionException(expectedVersion, version);
            }
            ShardMap before = load(version);
            ShardMap after = edit.apply(before);
            write(before, after);
            return new Change(before, after);
        });
        cached = change.after();
        return change;
    }

    private ShardMap load(long version) {
        List<Shard> shards = jdbc.sql("SELECT shard_id, jdbc_url, weight, state FROM shards ORDER BY shard_id")
                .query((rs, n) -> new Shard(rs.getString(1), rs.getString(2), rs.getInt(3), ShardState.valueOf(rs.getString(4))))
                .list();
        Map<String, String> pinned = new HashMap<>();
        jdbc.sql("SELECT shard_key, shard_id FROM pinned_keys")
                .query(rs -> {
                    pinned.put(rs.getString(1), rs.getString(2));
                });
        Map<String, List<Long>> tokenLists = new HashMap<>();
        jdbc.sql("SELECT shard_id, token FROM shard_tokens ORDER BY token")
                .query(rs -> {
                    tokenLists.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(rs.getLong(2));
                });
        Map<String, long[]> tokens = new HashMap<>();
        tokenLists.forEach((id, list) -> tokens.put(id, list.stream().mapToLong(Long::longValue).toArray()));
        return new ShardMap(version, vnodesPerShard, shards, pinned, tokens);
    }

    private void write(ShardMap before, ShardMap after) {
        for (Shard shard : after.shards()) {
            if (!shard.equals(before.shard(shard.id()).orElse(null))) {
                jdbc.sql("""
                        INSERT INTO shards (shard_id, jdbc_url, weight, state) VALUES (?, ?, ?, ?)
                        ON CONFLICT (shard_id) DO UPDATE SET jdbc_url = EXCLUDED.jdbc_url,
                            weight = EXCLUDED.weight, state = EXCLUDED.state""")
                        .params(shard.id(), shard.location(), shard.weight(), shard.state().name()).update();
            }
        }
        for (Shard shard : after.shards()) {
            long[] tokens = after.tokens().get(shard.id());
            if (!Arrays.equals(tokens, before.tokens().get(shard.id())) || before.shard(shard.id()).isEmpty()) {
                jdbc.sql("DELETE FROM shard_tokens WHERE shard_id = ?").param(shard.id()).update();
                List<Object[]> rows = new ArrayList<>(tokens.length);
                for (long token : tokens) {
                    rows.add(new Object[] {token, shard.id()});
                }
                jdbcTemplate.batchUpdate("INSERT INTO shard_tokens (token, shard_id) VALUES (?, ?)", rows);
            }
        }
        for (var pin : before.pinned().entrySet()) {
            if (!pin.getValue().equals(after.pinned().get(pin.getKey()))) {
                jdbc.sql("DELETE FROM pinned_keys WHERE shard_key = ?").param(pin.getKey()).update();
            }
        }
        for (Shard shard : before.shards()) {
            if (after.shard(shard.id()).isEmpty()) {
                jdbc.sql("DELETE FROM shards WHERE shard_id = ?").param(shard.id()).update();
            }
        }
        for (var pin : after.pinned().entrySet()) {
            if (!pin.getValue().equals(before.pinned().get(pin.getKey()))) {
                jdbc.sql("INSERT INTO pinned_keys (shard_key, shard_id) VALUES (?, ?)")
                        .params(pin.getKey(), pin.getValue()).update();
            }
        }
        jdbc.sql("UPDATE shard_map_version SET version = ?, changed_at = now()").param(after.version()).update();
    }
}
