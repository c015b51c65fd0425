package io.distpatterns.order.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.distpatterns.order.persistence.MoveStore;
import io.distpatterns.order.persistence.MoveStore.UnitStatus;

/**
 * A move as operators and load tests read it: units to move and how many are copied, verified,
 * switched and done (cumulative: a done unit counts as copied, verified and switched too), the
 * customers and orders moved, the fraction of the ring moved, the longest write pause of a unit
 * (freeze to switch) and the rates so far.
 */
public record MoveProgress(long id, String kind, String shardId, String state, String lastError, Instant createdAt,
                           Instant finishedAt, long mapVersion, int units, int pending, int copied, int verified, int switched,
                           int done, long customersMoved, long ordersCopied, double plannedFraction, double movedFraction,
                           long longestPauseMillis, double seconds, double customersPerSecond, double ordersPerSecond,
                           List<UnitView> inProgress) {

    /** A unit not yet PENDING or DONE. */
    public record UnitView(int step, String status, String fromShard, String toShard, Integer customers, Long epoch) {
    }

    static MoveProgress of(MoveStore.Move move, List<MoveStore.Unit> units, long mapVersion) {
        int copied = 0;
        int verified = 0;
        int switched = 0;
        int done = 0;
        long customers = 0;
        long orders = 0;
        double planned = 0;
        double moved = 0;
        long longest = 0;
        for (MoveStore.Unit u : units) {
            planned += u.fraction();
            int rank = u.status().ordinal();
            copied += rank >= UnitStatus.COPIED.ordinal() ? 1 : 0;
            verified += rank >= UnitStatus.VERIFIED.ordinal() ? 1 : 0;
            switched += rank >= UnitStatus.SWITCHED.ordinal() ? 1 : 0;
            if (u.status() == UnitStatus.DONE) {
                done++;
                moved += u.fraction();
                customers += u.customers() == null ? 0 : u.customers();
                orders += u.orders() == null ? 0 : u.orders();
            }
            if (u.frozenAt() != null && u.switchedAt() != null) {
                longest = Math.max(longest, Duration.between(u.frozenAt(), u.switchedAt()).toMillis());
            }
        }
        Instant end = move.finishedAt() != null ? move.finishedAt() : Instant.now();
        double seconds = Math.max(0.001, Duration.between(move.createdAt(), end).toMillis() / 1000.0);
        int pending = (int) units.stream().filter(u -> u.status() == UnitStatus.PENDING).count();
        List<UnitView> active = units.stream().filter(u -> u.status() != UnitStatus.PENDING && u.status() != UnitStatus.DONE)
                .map(u -> new UnitView(u.step(), u.status().name(), u.fromShard(), u.toShard(), u.customers(), u.epoch())).toList();
        return new MoveProgress(move.id(), move.kind(), move.shardId(), move.state().name(), move.lastError(), move.createdAt(),
                move.finishedAt(), mapVersion, units.size(), pending, copied, verified, switched, done, customers, orders, planned,
                moved, longest, seconds, customers / seconds, orders / seconds, active);
    }
}
