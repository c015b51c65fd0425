-- Every database of the platform, created when the PostgreSQL data directory is first initialised.
-- The services also create their own databases on start when missing (platform-postgres), so
-- this script is what a DBA would run up front; it keeps them all on one server and owned by the
-- platform's user. Kept identical to k8s/overlays/local/postgres/01-databases.sql (tested).

CREATE DATABASE orders_shard_0;   -- order-service, shard 0 (orders.shards.count = 4)
CREATE DATABASE orders_shard_1;   -- order-service, shard 1
CREATE DATABASE orders_shard_2;   -- order-service, shard 2
CREATE DATABASE orders_shard_3;   -- order-service, shard 3
CREATE DATABASE inventory;        -- inventory-service
CREATE DATABASE geo;              -- geo-service
CREATE DATABASE shard_router;     -- shard-router: the versioned shard map
CREATE DATABASE snowflake_workers; -- platform-ids: Snowflake worker-ID leases
CREATE DATABASE order_directory;  -- order-service: order id -> customer id, for GET /orders/{id}
