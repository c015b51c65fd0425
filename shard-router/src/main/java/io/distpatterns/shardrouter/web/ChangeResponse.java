package io.distpatterns.shardrouter.web;

import java.util.List;

import io.distpatterns.platform.sharding.MovePlan;

/**
 * The answer to every change: the new version and the move plan from the previous one. Ring
 * positions are signed 64-bit numbers written as strings (JavaScript numbers cannot hold them).
 */
record ChangeResponse(long version, Plan plan) {

    record Plan(long fromVersion, long toVersion, double movedFraction, List<MovePlan.Transfer> transfers,
                List<Range> ranges, List<MovePlan.PinChange> pinChanges) {
    }

    record Range(String fromExclusive, String toInclusive, String from, String to, double fraction) {
    }

    static ChangeResponse of(MovePlan plan) {
        List<Range> ranges = plan.ranges().stream()
                .map(r -> new Range(Long.toString(r.fromExclusive()), Long.toString(r.toInclusive()), r.from(), r.to(), r.fraction()))
                .toList();
        return new ChangeResponse(plan.toVersion(), new Plan(plan.fromVersion(), plan.toVersion(), plan.movedFraction(),
                plan.transfers(), ranges, plan.pinChanges()));
    }
}
