-- One row per Snowflake worker ID (0..1023). An instance holds a worker ID while expires_at is in
-- the future; fencing_token increases with every acquisition so a stale holder cannot renew.
-- last_timestamp is the highest Unix millisecond any holder may have used: the next holder issues
-- strictly above it.
CREATE TABLE worker_leases (
    worker_id      integer     PRIMARY KEY CHECK (worker_id BETWEEN 0 AND 1023),
    owner          text,
    fencing_token  bigint      NOT NULL DEFAULT 0,
    expires_at     timestamptz NOT NULL DEFAULT '-infinity',
    last_timestamp bigint      NOT NULL DEFAULT 0,
    acquired_at    timestamptz
);

INSERT INTO worker_leases (worker_id) SELECT generate_series(0, 1023);

-- Acquisition looks for the longest-expired free worker ID.
CREATE INDEX worker_leases_expires_idx ON worker_leases (expires_at, worker_id);
