package io.distpatterns.geo.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.function.Consumer;

/** Durable last known positions: written behind in batches, read back on start. */
public interface PositionStore {

    /** Upserts every position, keeping a stored one that was recorded later. */
    void saveAll(Collection<DriverPosition> positions);

    /** Streams every stored position recorded after {@code since}; returns how many. */
    int loadRecordedAfter(Instant since, Consumer<DriverPosition> sink);
}
