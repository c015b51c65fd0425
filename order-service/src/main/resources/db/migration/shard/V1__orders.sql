-- Applied to every shard (orders_shard_0 .. orders_shard_{N-1}). An order and its lines live on
-- the shard of their customer; ids are Snowflake ids assigned by the service.
CREATE TABLE orders (
    id          bigint       PRIMARY KEY,
    customer_id varchar(64)  NOT NULL,
    status      varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
    currency    char(3)      NOT NULL,
    total       numeric(19, 2) NOT NULL CHECK (total >= 0),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

-- A customer's orders, newest first (listing); the timeout sweeper scans PENDING by age.
CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC);
CREATE INDEX orders_pending_created_idx ON orders (created_at) WHERE status = 'PENDING';

CREATE TABLE order_lines (
    order_id   bigint         NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    smallint       NOT NULL,
    sku        varchar(64)    NOT NULL,
    quantity   integer        NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price numeric(19, 2) NOT NULL CHECK (unit_price > 0),
    PRIMARY KEY (order_id, line_no)
);
