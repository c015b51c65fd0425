-- Online resharding (README "Resharding"). A fence per ring range that is moving off this shard:
-- FROZEN while its customers are copied and verified (every order write in the range is refused
-- and retried by the service), MOVED once the map epoch `epoch` gives the range to another shard
-- (a write routed with an older map is refused: the service refreshes its map and goes there).
-- Ranges are half-open (from_exclusive, to_inclusive] of signed 64-bit ring positions and wrap
-- when from_exclusive >= to_inclusive. A few hundred rows per move: read by a sequential scan.
CREATE TABLE unit_fences (
    move_id        bigint      NOT NULL,
    unit           integer     NOT NULL,
    from_exclusive bigint      NOT NULL,
    to_inclusive   bigint      NOT NULL,
    state          varchar(8)  NOT NULL CHECK (state IN ('FROZEN', 'MOVED')),
    epoch          bigint      NOT NULL,
    fenced_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (move_id, unit)
);

-- Every write transaction calls this first. The shared advisory lock is held until commit; the
-- mover takes the same lock exclusively to insert a fence, so once a FROZEN fence is committed no
-- write that did not see it is still running, and every later write sees it.
CREATE FUNCTION unit_fence(key_hash bigint, routed_epoch bigint)
    RETURNS TABLE (fence_state varchar, fence_epoch bigint)
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7262736864);
    RETURN QUERY
        SELECT f.state, f.epoch FROM unit_fences f
         WHERE (CASE WHEN f.from_exclusive < f.to_inclusive
                     THEN key_hash > f.from_exclusive AND key_hash <= f.to_inclusive
                     ELSE key_hash > f.from_exclusive OR key_hash <= f.to_inclusive END)
           AND (f.state = 'FROZEN' OR f.epoch > routed_epoch)
         ORDER BY f.state = 'FROZEN' DESC, f.epoch DESC
         LIMIT 1;
END $$;
