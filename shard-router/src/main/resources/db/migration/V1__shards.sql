-- The shard map: shards with their weight and state, keys pinned to a shard, and the map's
-- version (epoch), which every change increments.
CREATE TABLE shards (
    shard_id  varchar(64)  PRIMARY KEY,
    jdbc_url  varchar(500) NOT NULL,
    weight    integer      NOT NULL CHECK (weight > 0),
    state     varchar(16)  NOT NULL CHECK (state IN ('ACTIVE', 'DRAINING'))
);

CREATE TABLE pinned_keys (
    shard_key varchar(200) PRIMARY KEY,
    shard_id  varchar(64)  NOT NULL REFERENCES shards (shard_id)
);

CREATE TABLE shard_map_version (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO shard_map_version (version) VALUES (0);
