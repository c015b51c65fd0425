package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MovePlanTest {

    @Test
    void movedFractionMatchesTheKeysThatActuallyChangeOwner() {
        List<Shard> four = Shards.standard(4);
        List<Shard> five = new ArrayList<>(four);
        five.add(Shards.active("shard_4"));
        var before = Shards.map(1, 256, four);
        var after = Shards.map(2, 256, five);

        var plan = MovePlan.between(before, after);

        int keys = 200_000;
        int moved = 0;
        for (int k = 0; k < keys; k++) {
            if (!before.route(k).shardId().equals(after.route(k).shardId())) {
                moved++;
            }
        }
        assertThat(plan.movedFraction()).isCloseTo((double) moved / keys, within(0.005));
        assertThat(plan.transfers()).allMatch(t -> t.to().equals("shard_4"));
        assertThat(plan.fromVersion()).isEqualTo(1);
        assertThat(plan.toVersion()).isEqualTo(2);
    }

    @Test
    void everyKeyInAMovedRangeChangesOwnerAsThePlanSays() {
        var before = Shards.map(1, 64, Shards.standard(3));
        var after = Shards.map(2, 64, List.of(Shards.active("shard_0"), Shards.active("shard_1"),
                Shards.active("shard_2").withWeight(250)));

        var plan = MovePlan.between(before, after);

        assertThat(plan.ranges()).isNotEmpty();
        for (var range : plan.ranges()) {
            long inside = range.toInclusive();
            assertThat(before.ring().ownerOf(inside)).isEqualTo(range.from());
            assertThat(after.ring().ownerOf(inside)).isEqualTo(range.to());
            assertThat(range.to()).isEqualTo("shard_2");
        }
        double total = plan.transfers().stream().mapToDouble(MovePlan.Transfer::fraction).sum();
        assertThat(total).isCloseTo(plan.movedFraction(), within(1e-9));
    }

    @Test
    void identicalMapsMoveNothing() {
        var map = Shards.map(1, 64, Shards.standard(4));

        var plan = MovePlan.between(map, Shards.map(2, 64, Shards.standard(4)));

        assertThat(plan.movedFraction()).isZero();
        assertThat(plan.ranges()).isEmpty();
    }

    @Test
    void pinningAKeyIsAPinChange() {
        var before = Shards.map(1, 64, Shards.standard(2));
        String ringOwner = before.route("vip").shardId();
        String target = ringOwner.equals("shard_0") ? "shard_1" : "shard_0";
        var after = new ShardMap(2, 64, Shards.standard(2), Map.of("vip", target));

        var plan = MovePlan.between(before, after);

        assertThat(plan.pinChanges()).containsExactly(new MovePlan.PinChange("vip", ringOwner, target));
        assertThat(plan.movedFraction()).isZero();
    }
}
