package io.distpatterns.platform.sharding;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StepwiseMoveTest {

    private static final ShardMap FOUR = new ShardMap(7, 64, Shards.standard(4), Map.of(),
            TokenAllocator.balanced(Shards.standard(4), 64));

    @Test
    void addingMovesOneRangePerStepToTheNewShardAndAboutAFifthInAll() {
        StepwiseMove move = StepwiseMove.adding(FOUR, Shards.active("shard_4"));

        double moved = 0;
        for (int k = 0; k < move.steps(); k++) {
            MovePlan unit = move.unit(k);
            assertThat(unit.ranges()).as("step %d", k).hasSize(1);
            assertThat(unit.ranges().get(0).to()).isEqualTo("shard_4");
            moved += unit.movedFraction();
        }

        assertThat(move.steps()).isEqualTo(64);
        assertThat(moved).isCloseTo(0.2, within(0.02));
        assertThat(moved).isCloseTo(MovePlan.between(FOUR, move.step(move.steps())).movedFraction(), within(1e-9));
        assertThat(move.step(move.steps()).ring().shares().get("shard_4")).isCloseTo(0.2, within(0.02));
    }

    @Test
    void noKeyMovesTwiceAndEveryKeyEndsWhereTheOneShotMapPutsIt() {
        StepwiseMove move = StepwiseMove.adding(FOUR, Shards.active("shard_4"));
        ShardMap last = move.step(move.steps());

        for (int i = 0; i < 2000; i++) {
            String key = "customer-" + i;
            int changes = 0;
            for (int k = 0; k < move.steps(); k++) {
                if (!move.step(k).route(key).shardId().equals(move.step(k + 1).route(key).shardId())) {
                    changes++;
                }
            }
            assertThat(changes).isLessThanOrEqualTo(1);
            assertThat(changes == 1).isEqualTo(!FOUR.route(key).shardId().equals(last.route(key).shardId()));
        }
    }

    @Test
    void drainingAShardWhoseTokensAreNeighboursHasStepsThatMoveNothing() {
        ShardMap two = new ShardMap(1, 2, Shards.standard(2), Map.of(),
                Map.of("shard_0", new long[] {-100, 100}, "shard_1", new long[] {-10, 10}));

        StepwiseMove move = StepwiseMove.draining(two, "shard_1");

        assertThat(move.unit(0).ranges()).as("-10 passes its range to 10, still shard_1").isEmpty();
        assertThat(move.unit(1).ranges()).singleElement().satisfies(r -> {
            assertThat(r.fromExclusive()).isEqualTo(-100);
            assertThat(r.toInclusive()).isEqualTo(10);
            assertThat(r.to()).isEqualTo("shard_0");
        });
    }

    @Test
    void drainingHandsEveryRangeOfTheShardToOthersAndEndsDraining() {
        StepwiseMove move = StepwiseMove.draining(FOUR, "shard_2");

        double moved = 0;
        for (int k = 0; k < move.steps(); k++) {
            MovePlan unit = move.unit(k);
            // a token whose range passes to the shard's own next token moves nothing
            assertThat(unit.ranges()).hasSizeLessThanOrEqualTo(1);
            unit.ranges().forEach(r -> assertThat(r.from()).isEqualTo("shard_2"));
            moved += unit.movedFraction();
        }
        assertThat(moved).isCloseTo(FOUR.ring().shares().get("shard_2"), within(1e-9));

        ShardMap last = move.step(move.steps());
        assertThat(last.shard("shard_2").orElseThrow().state()).isEqualTo(ShardState.DRAINING);
        assertThat(last.ring().shares()).doesNotContainKey("shard_2");
        assertThat(move.isAtStep(last, move.steps())).isTrue();
        assertThat(move.isAtStep(last, move.steps() - 1)).isFalse();
    }

    @Test
    void aJoiningShardIsAddedWithTheTokensItWasGivenAndCountsAsStepZero() {
        StepwiseMove planned = StepwiseMove.adding(FOUR, Shards.active("shard_4"));
        ShardMap withJoining = new ShardMap(8, 64, java.util.List.of(Shards.active("shard_0"), Shards.active("shard_1"),
                Shards.active("shard_2"), Shards.active("shard_3"), Shards.active("shard_4").withState(ShardState.JOINING)),
                Map.of(), planned.step(planned.steps()).tokens());

        StepwiseMove move = StepwiseMove.joining(withJoining, "shard_4");

        assertThat(withJoining.ring().shares()).doesNotContainKey("shard_4");
        assertThat(move.isAtStep(withJoining, 0)).isTrue();
        assertThat(move.tokens()).containsExactly(planned.tokens());
        assertThat(move.step(move.steps()).ring().shares().get("shard_4")).isCloseTo(0.2, within(0.02));
    }

    @Test
    void aMapEditedByAnotherChangeIsAtNoStep() {
        StepwiseMove move = StepwiseMove.adding(FOUR, Shards.active("shard_4"));
        ShardMap three = move.step(3);
        ShardMap pinned = new ShardMap(three.version(), three.vnodesPerShard(), three.shards(), Map.of("vip", "shard_0"), three.tokens());

        assertThat(move.isAtStep(three, 3)).isTrue();
        assertThat(move.isAtStep(pinned, 3)).isFalse();
        assertThat(move.isAtStep(pinned, 4)).isFalse();
    }
}
