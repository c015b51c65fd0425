-- What outbox-relay needs besides V1, all additive (instant in PostgreSQL 11+: no table rewrite).
--
-- Poison rows: a row Kafka refuses for a reason that retrying cannot fix (it cannot be serialized,
-- it is larger than Kafka accepts) counts attempts and keeps its last error; after N attempts it is
-- parked. A parked row stays unpublished, so its aggregate's later events wait behind it (order
-- holds) until an operator retries it (parked_at back to NULL) or skips it (published_at and
-- skipped_at set: never sent, then cleaned up like a published row).
ALTER TABLE outbox_events
    ADD COLUMN attempts   integer       NOT NULL DEFAULT 0,
    ADD COLUMN last_error varchar(2000),
    ADD COLUMN parked_at  timestamptz,
    ADD COLUMN skipped_at timestamptz;

-- Per-aggregate order: a row may be sent only when every lower version of its aggregate is
-- published. The relay's probe for "an unpublished lower version" reads this index only.
CREATE INDEX outbox_events_pending_versions_idx
    ON outbox_events (aggregate_type, aggregate_id, aggregate_version) WHERE published_at IS NULL;

-- The relay's probe for "this aggregate is held behind a parked row", and the admin list.
CREATE INDEX outbox_events_parked_idx
    ON outbox_events (aggregate_type, aggregate_id) WHERE parked_at IS NOT NULL AND published_at IS NULL;
