-- The transactional outbox. Rows are inserted in the same transaction as the change they describe
-- and published by outbox-relay; nothing else writes here.
--
-- Order: aggregate_version numbers one aggregate's events 1, 2, 3, ... in commit order. It is
-- taken from outbox_aggregate_sequences under that row's lock, which a second writer of the same
-- aggregate waits for until the first commits: so a higher version always commits later.
-- Completeness: txid is the writing transaction's id. Every transaction older than the snapshot's
-- xmin (pg_snapshot_xmin(pg_current_snapshot())) has ended, so rows with txid below it are final:
-- a relay that only takes those never skips a transaction that commits late.
CREATE TABLE outbox_events (
    event_id          bigint       PRIMARY KEY,
    topic             varchar(200) NOT NULL,
    event_type        varchar(100) NOT NULL,
    aggregate_type    varchar(100) NOT NULL,
    aggregate_id      varchar(200) NOT NULL,
    aggregate_version bigint       NOT NULL,
    schema_version    integer      NOT NULL,
    occurred_at       timestamptz  NOT NULL,
    payload           jsonb        NOT NULL,
    traceparent       varchar(55),
    txid              xid8         NOT NULL DEFAULT pg_current_xact_id(),
    published_at      timestamptz,
    UNIQUE (aggregate_type, aggregate_id, aggregate_version)
);

-- The relay's scan: unpublished rows in transaction order.
CREATE INDEX outbox_events_unpublished_idx ON outbox_events (txid, event_id) WHERE published_at IS NULL;
-- Clean-up of published rows by age.
CREATE INDEX outbox_events_published_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE outbox_aggregate_sequences (
    aggregate_type varchar(100) NOT NULL,
    aggregate_id   varchar(200) NOT NULL,
    last_version   bigint       NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
);
