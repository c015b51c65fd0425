-- Last known position per driver, written behind from the in-memory index and reloaded on start.
CREATE TABLE driver_locations (
    driver_id   varchar(64)      PRIMARY KEY,
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    status      varchar(16)      NOT NULL CHECK (status IN ('AVAILABLE', 'BUSY', 'OFFLINE')),
    recorded_at timestamptz      NOT NULL
);

-- Reload on start reads only fresh positions.
CREATE INDEX driver_locations_recorded_at_idx ON driver_locations (recorded_at);
