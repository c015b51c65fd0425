-- The relay's own small database: which instance relays which hash partition of aggregate ids.
--
-- Every outbox row belongs to partition (hashtext(aggregate_id) & 2147483647) % partitions, so one
-- aggregate's events always fall into one partition, and one partition is relayed by one instance
-- at a time: the holder of its lease. Taking a lease (free, or expired) bumps fencing_token; renewal
-- and release name the token, so an instance whose lease was taken over finds out at its next
-- renewal and stops relaying that partition.
CREATE TABLE relay_settings (
    name  varchar(100) PRIMARY KEY,
    value varchar(200) NOT NULL
);

CREATE TABLE relay_instances (
    instance_id  varchar(100) PRIMARY KEY,
    heartbeat_at timestamptz  NOT NULL
);

CREATE TABLE relay_partition_leases (
    partition     integer      PRIMARY KEY,
    owner         varchar(100),
    fencing_token bigint       NOT NULL DEFAULT 0,
    expires_at    timestamptz  NOT NULL DEFAULT '-infinity',
    acquired_at   timestamptz
);
