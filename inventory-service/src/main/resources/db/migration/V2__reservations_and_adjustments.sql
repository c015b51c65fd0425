-- Every change of a product's total stock, the creation included: for each product,
-- sum(delta) = available + reserved + committed (the conservation check).
CREATE TABLE stock_adjustments (
    id         bigserial    PRIMARY KEY,
    sku        varchar(64)  NOT NULL REFERENCES products (sku),
    delta      integer      NOT NULL,
    reason     varchar(500) NOT NULL,
    actor      varchar(200) NOT NULL,
    available_after integer NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX stock_adjustments_sku_idx ON stock_adjustments (sku, id);

-- One row per order that inventory has heard of, whatever came first. Claimed with
-- INSERT ... ON CONFLICT DO NOTHING, so OrderPlaced and OrderCancelled of one order serialize on it.
--   RESERVED   stock held for the order (reservation_lines)
--   REJECTED   nothing held: a line was short or unknown
--   COMMITTED  the order was confirmed: the held stock moved from reserved to committed
--   RELEASED   the order was cancelled after a reservation: the stock is available again
--   CANCELLED  tombstone: the cancel came before the OrderPlaced; a late OrderPlaced reserves nothing
CREATE TABLE reservations (
    order_id   varchar(40)  PRIMARY KEY,
    status     varchar(16)  NOT NULL CHECK (status IN ('RESERVED', 'REJECTED', 'COMMITTED', 'RELEASED', 'CANCELLED')),
    created_at timestamptz  NOT NULL DEFAULT now(),
    updated_at timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE reservation_lines (
    order_id varchar(40) NOT NULL REFERENCES reservations (order_id),
    sku      varchar(64) NOT NULL REFERENCES products (sku),
    quantity integer     NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, sku)
);
