package io.distpatterns.order.persistence;

import org.junit.jupiter.api.Test;

import io.distpatterns.platform.sharding.MovePlan;
import io.distpatterns.platform.sharding.ShardKey;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.StepwiseMove;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardState;

import static org.assertj.core.api.Assertions.assertThat;

class UnitFencesTest {

    @Test
    void aFenceCoversItsHalfOpenRangeOnly() {
        var fence = new UnitFences.Fence(1, 0, -10, 20, true, 0);

        assertThat(fence.covers(-10)).isFalse();
        assertThat(fence.covers(-9)).isTrue();
        assertThat(fence.covers(20)).isTrue();
        assertThat(fence.covers(21)).isFalse();
    }

    @Test
    void aFenceOverTheTopOfTheRingWraps() {
        var fence = new UnitFences.Fence(1, 0, Long.MAX_VALUE - 5, Long.MIN_VALUE + 5, true, 0);

        assertThat(fence.covers(Long.MAX_VALUE)).isTrue();
        assertThat(fence.covers(Long.MIN_VALUE)).isTrue();
        assertThat(fence.covers(Long.MIN_VALUE + 5)).isTrue();
        assertThat(fence.covers(Long.MIN_VALUE + 6)).isFalse();
        assertThat(fence.covers(0)).isFalse();
    }

    @Test
    void aUnitsFenceCoversExactlyTheCustomersWhoseOwnerChangesAtItsStep() {
        ShardMap four = ShardMapSource.builtIn(4, 16).current();
        StepwiseMove move = StepwiseMove.adding(four, new Shard("orders_shard_4", "orders_shard_4", 100, ShardState.ACTIVE));

        for (int k = 0; k < move.steps(); k++) {
            MovePlan.RangeMove range = move.unit(k).ranges().get(0);
            var fence = new UnitFences.Fence(1, k, range.fromExclusive(), range.toInclusive(), true, 0);
            for (int c = 0; c < 300; c++) {
                String customer = "c-" + c;
                boolean moves = !move.step(k).route(customer).shardId().equals(move.step(k + 1).route(customer).shardId());
                assertThat(fence.covers(ShardKey.hash(customer))).as("step %d, %s", k, customer).isEqualTo(moves);
            }
        }
    }
}
