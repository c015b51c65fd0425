-- Which customer an order belongs to, so GET /orders/{id} asks one shard: the customer's, by the
-- current map. The customer never changes, so this survives moving a customer to another shard.
CREATE TABLE order_locations (
    order_id    bigint      PRIMARY KEY,
    customer_id varchar(64) NOT NULL
);
