-- A shard added online is JOINING: in the map with its tokens, owning no range until
-- order-service's mover has copied its customers and handed it its ranges one epoch at a time
-- (README "Online resharding").
ALTER TABLE shards DROP CONSTRAINT shards_state_check;
ALTER TABLE shards ADD CONSTRAINT shards_state_check CHECK (state IN ('ACTIVE', 'DRAINING', 'JOINING'));
