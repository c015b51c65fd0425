-- Products and their stock. Invariant kept by every change:
-- initial stock + adjustments = available + reserved + committed.
CREATE TABLE products (
    sku        varchar(64)  PRIMARY KEY,
    name       varchar(200) NOT NULL,
    available  integer      NOT NULL CHECK (available >= 0),
    reserved   integer      NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    committed  integer      NOT NULL DEFAULT 0 CHECK (committed >= 0),
    created_at timestamptz  NOT NULL DEFAULT now(),
    updated_at timestamptz  NOT NULL DEFAULT now()
);
