package io.distpatterns.geo.domain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applied updates waiting to be written to the {@link PositionStore}. Coalesced per driver (only
 * the latest recorded position is kept), so a driver reporting every second costs one row per
 * flush, however many updates arrived in between.
 */
public final class WriteBehindQueue {

    private final ConcurrentHashMap<String, DriverPosition> pending = new ConcurrentHashMap<>();

    public void offer(DriverPosition position) {
        pending.merge(position.driverId(), position,
                (old, neu) -> neu.recordedAt().isBefore(old.recordedAt()) ? old : neu);
    }

    /** Takes up to {@code max} pending positions out of the queue. */
    public List<DriverPosition> drain(int max) {
        List<DriverPosition> batch = new ArrayList<>(Math.min(max, pending.size()));
        Iterator<String> ids = pending.keySet().iterator();
        while (batch.size() < max && ids.hasNext()) {
            DriverPosition p = pending.remove(ids.next());
            if (p != null) {
                batch.add(p);
            }
        }
        return batch;
    }

    /** Puts back positions whose write failed (a newer pending one wins). */
    public void requeue(List<DriverPosition> failed) {
        failed.forEach(this::offer);
    }

    public int size() {
        return pending.size();
    }
}
