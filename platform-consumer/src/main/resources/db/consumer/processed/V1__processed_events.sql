-- Ids of the events a consumer has applied, written in the same transaction as the effect: a
-- redelivered event finds its id and has no second effect. Bounded: rows expire (the consumer's
-- processed-events TTL, longer than any redelivery or replay window) and are swept in batches.
CREATE TABLE processed_events (
    consumer     varchar(100) NOT NULL,
    event_id     varchar(40)  NOT NULL,
    event_type   varchar(100) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now(),
    expires_at   timestamptz  NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

-- The expiry sweep.
CREATE INDEX processed_events_expires_idx ON processed_events (expires_at);
