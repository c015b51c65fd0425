CREATE TABLE probes (
    id    bigint PRIMARY KEY,
    label text   NOT NULL
);
