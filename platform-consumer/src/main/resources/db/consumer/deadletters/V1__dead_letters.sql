-- Dead letters collected from <topic>.DLT for this service's consumer group, with their origin and
-- error, so an operator can list, inspect, replay or discard them. A DLT record is stored once
-- (unique on its own topic/partition/offset). status: NEW -> REPLAYED | DISCARDED, never back.
CREATE TABLE dead_letters (
    id               bigserial     PRIMARY KEY,
    dlt_topic        varchar(249)  NOT NULL,
    dlt_partition    integer       NOT NULL,
    dlt_offset       bigint        NOT NULL,
    origin_topic     varchar(249)  NOT NULL,
    origin_partition integer,
    origin_offset    bigint,
    consumer_group   varchar(200),
    record_key       text,
    record_value     text,
    headers          jsonb         NOT NULL,
    event_id         varchar(40),
    event_type       varchar(100),
    traceparent      varchar(55),
    exception_class  varchar(500),
    exception_message text,
    attempts         integer       NOT NULL DEFAULT 1,
    status           varchar(16)   NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'REPLAYED', 'DISCARDED')),
    received_at      timestamptz   NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    UNIQUE (dlt_topic, dlt_partition, dlt_offset)
);

-- Listing: newest first, by status (depth = count of NEW), by origin topic or event type.
CREATE INDEX dead_letters_status_idx ON dead_letters (status, id DESC);
CREATE INDEX dead_letters_event_idx ON dead_letters (event_id);

-- Every operator action on a dead letter.
CREATE TABLE dead_letter_audit (
    id             bigserial    PRIMARY KEY,
    dead_letter_id bigint       NOT NULL REFERENCES dead_letters (id),
    action         varchar(16)  NOT NULL,
    actor          varchar(200) NOT NULL,
    reason         text,
    outcome        varchar(200) NOT NULL,
    at             timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_audit_letter_idx ON dead_letter_audit (dead_letter_id);
