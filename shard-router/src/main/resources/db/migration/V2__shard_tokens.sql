-- The ring's virtual nodes. Tokens are placed by TokenAllocator so every shard owns close to its
-- weight's share; placement depends on the order of changes, so it is stored, not recomputed.
-- A shard without rows here gets hashed tokens (hash(shard_id || '#' || i)).
CREATE TABLE shard_tokens (
    token    bigint      PRIMARY KEY,
    shard_id varchar(64) NOT NULL REFERENCES shards (shard_id) ON DELETE CASCADE
);

CREATE INDEX shard_tokens_shard_idx ON shard_tokens (shard_id);
