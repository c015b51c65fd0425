-- Online resharding: the mover's state, so a move resumes where it stopped after a crash.
-- One move at a time (the partial unique index). A unit is one ring range (one virtual node of
-- the added or drained shard) and walks PENDING -> FROZEN -> COPIED -> VERIFIED -> SWITCHED -> DONE.
CREATE TABLE shard_moves (
    id          bigint       PRIMARY KEY,
    kind        varchar(8)   NOT NULL CHECK (kind IN ('ADD', 'DRAIN')),
    shard_id    varchar(64)  NOT NULL,
    location    varchar(500) NOT NULL,
    weight      integer      NOT NULL,
    base_map    text         NOT NULL, -- ShardMapDocument of step 0, as JSON
    state       varchar(16)  NOT NULL CHECK (state IN ('RUNNING', 'PAUSED', 'COMPLETED', 'ABORTED', 'FAILED')),
    last_error  text,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    finished_at timestamptz
);

CREATE UNIQUE INDEX shard_moves_one_open_idx ON shard_moves ((true)) WHERE state IN ('RUNNING', 'PAUSED');

CREATE TABLE shard_move_units (
    move_id        bigint           NOT NULL REFERENCES shard_moves (id),
    step           integer          NOT NULL,
    token          bigint           NOT NULL,
    from_exclusive bigint           NOT NULL,
    to_inclusive   bigint           NOT NULL,
    from_shard     varchar(64)      NOT NULL,
    to_shard       varchar(64)      NOT NULL,
    fraction       double precision NOT NULL,
    status         varchar(16)      NOT NULL CHECK (status IN ('PENDING', 'FROZEN', 'COPIED', 'VERIFIED', 'SWITCHED', 'DONE')),
    customers      integer,
    orders         integer,
    checksum       text,
    epoch          bigint,
    frozen_at      timestamptz,
    switched_at    timestamptz,
    done_at        timestamptz,
    PRIMARY KEY (move_id, step)
);

-- Without shard-router the service's own map (built-in at first start) lives here, so the epochs
-- a move publishes survive a restart.
CREATE TABLE local_shard_map (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL,
    document  text    NOT NULL
);
