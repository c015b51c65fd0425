-- Idempotency keys live on the customer's shard, next to the orders they protect. The first
-- request with a key inserts the row in the same transaction as its order; a retry finds it (a
-- concurrent retry waits on the unique index until the first commits) and gets the stored response.
CREATE TABLE idempotency_keys (
    customer_id     varchar(64)  NOT NULL,
    idempotency_key varchar(200) NOT NULL,
    request_hash    char(64)     NOT NULL,
    order_id        bigint       NOT NULL,
    response_body   text         NOT NULL, -- byte for byte what the first request got
    created_at      timestamptz  NOT NULL DEFAULT now(),
    expires_at      timestamptz  NOT NULL,
    PRIMARY KEY (customer_id, idempotency_key)
);

-- The expiry sweep.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- Admin listing across shards: newest first, optionally by status.
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC);
CREATE INDEX orders_created_idx ON orders (created_at DESC);
