package io.distpatterns.shardrouter.domain;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardMapRulesTest {

    static Shard shard(String id) {
        return new Shard(id, id, 100, ShardState.ACTIVE);
    }

    static final ShardMap TWO = new ShardMap(5, 64, List.of(shard("a"), shard("b")), Map.of());

    @Test
    void everyChangeGivesTheNextVersion() {
        ShardMap after = ShardMapRules.apply(TWO, new ShardMapChange.AddShard("c", "c", 200));

        assertThat(after.version()).isEqualTo(6);
        assertThat(after.shard("c")).contains(new Shard("c", "c", 200, ShardState.ACTIVE));
    }

    @Test
    void initialMapSharesTheKeySpaceEvenlyAndAddingAShardMovesOnlyItsShare() {
        List<Shard> four = List.of(shard("s0"), shard("s1"), shard("s2"), shard("s3"));
        ShardMap initial = ShardMapRules.initial(1, 256, four);

        ShardMap grown = ShardMapRules.apply(initial, new ShardMapChange.AddShard("s4", "s4", 100));
        var plan = io.distpatterns.platform.sharding.MovePlan.between(initial, grown);

        assertThat(initial.ring().shares().values()).allSatisfy(share -> assertThat(share).isBetween(0.247, 0.253));
        assertThat(grown.ring().shares().values()).allSatisfy(share -> assertThat(share).isBetween(0.197, 0.203));
        assertThat(plan.movedFraction()).isBetween(0.197, 0.203);
        assertThat(plan.transfers()).allMatch(t -> t.to().equals("s4"));
    }

    @Test
    void reweightingAShardMovesItsShareTowardsTheNewWeight() {
        ShardMap initial = ShardMapRules.initial(1, 256, List.of(shard("a"), shard("b"), shard("c"), shard("d")));

        ShardMap heavier = ShardMapRules.apply(initial, new ShardMapChange.SetWeight("a", 200));
        ShardMap lighter = ShardMapRules.apply(initial, new ShardMapChange.SetWeight("a", 50));

        assertThat(heavier.tokens().get("a")).hasSize(512);
        assertThat(heavier.ring().shares().get("a")).isBetween(0.39, 0.41);
        assertThat(lighter.tokens().get("a")).hasSize(128);
        assertThat(lighter.ring().shares().get("a")).isLessThan(0.2);
    }

    @Test
    void refusesDuplicateShard() {
        assertThatThrownBy(() -> ShardMapRules.apply(TWO, new ShardMapChange.AddShard("a", "x", 100)))
                .isInstanceOf(ShardMapConflictException.class).hasMessageContaining("already exists");
    }

    @Test
    void refusesChangesToUnknownShards() {
        assertThatThrownBy(() -> ShardMapRules.apply(TWO, new ShardMapChange.SetWeight("zz", 100)))
                .isInstanceOf(ShardNotFoundException.class);
        assertThatThrownBy(() -> ShardMapRules.apply(TWO, new ShardMapChange.PinKey("k", "zz")))
                .isInstanceOf(ShardNotFoundException.class);
    }

    @Test
    void refusesDrainingOrRemovingTheLastActiveShard() {
        ShardMap oneLeft = ShardMapRules.apply(TWO, new ShardMapChange.DrainShard("a"));

        assertThatThrownBy(() -> ShardMapRules.apply(oneLeft, new ShardMapChange.DrainShard("b")))
                .isInstanceOf(ShardMapConflictException.class).hasMessageContaining("last active shard");
        assertThatThrownBy(() -> ShardMapRules.apply(oneLeft, new ShardMapChange.RemoveShard("b")))
                .isInstanceOf(ShardMapConflictException.class).hasMessageContaining("last active shard");
        assertThat(ShardMapRules.apply(oneLeft, new ShardMapChange.RemoveShard("a")).shards()).extracting(Shard::id)
                .containsExactly("b");
    }

    @Test
    void refusesPinningToADrainingShardAndDrainingAShardWithPins() {
        ShardMap drained = ShardMapRules.apply(TWO, new ShardMapChange.DrainShard("a"));
        ShardMap pinned = ShardMapRules.apply(TWO, new ShardMapChange.PinKey("vip", "a"));

        assertThatThrownBy(() -> ShardMapRules.apply(drained, new ShardMapChange.PinKey("vip", "a")))
                .isInstanceOf(ShardMapConflictException.class).hasMessageContaining("draining");
        assertThatThrownBy(() -> ShardMapRules.apply(pinned, new ShardMapChange.DrainShard("a")))
                .isInstanceOf(ShardMapConflictException.class).hasMessageContaining("pinned");
        assertThat(ShardMapRules.apply(pinned, new ShardMapChange.UnpinKey("vip")).pinned()).isEmpty();
    }

    @Test
    void refusesUnpinningAKeyThatIsNotPinned() {
        assertThatThrownBy(() -> ShardMapRules.apply(TWO, new ShardMapChange.UnpinKey("nobody")))
                .isInstanceOf(ShardMapConflictException.class);
    }

    @Test
    void settingTheRingOneTokenAtATimeEndsWhereAOneShotAddEnds() {
        ShardMap initial = ShardMapRules.initial(1, 64, List.of(shard("s0"), shard("s1"), shard("s2"), shard("s3")));
        var move = io.distpatterns.platform.sharding.StepwiseMove.adding(initial, shard("s4"));

        ShardMap map = initial;
        for (int k = 1; k <= move.steps(); k++) {
            long[] tokens = move.step(k).tokens().get("s4");
            map = ShardMapRules.apply(map, new ShardMapChange.SetRing("s4", "s4", 100, ShardState.ACTIVE, tokens));
            assertThat(move.isAtStep(map, k)).isTrue();
        }

        ShardMap oneShot = ShardMapRules.apply(initial, new ShardMapChange.AddShard("s4", "s4", 100));
        for (int i = 0; i < 1000; i++) {
            assertThat(map.route("key-" + i).shardId()).isEqualTo(oneShot.route("key-" + i).shardId());
        }
    }

    @Test
    void settingTheRingRefusesAnotherShardsToken() {
        ShardMap initial = ShardMapRules.initial(1, 64, List.of(shard("s0"), shard("s1")));
        long taken = initial.tokens().get("s0")[0];

        assertThatThrownBy(() -> ShardMapRules.apply(initial, new ShardMapChange.SetRing("s2", "s2", 100, ShardState.ACTIVE,
                new long[] {taken}))).isInstanceOf(ShardMapConflictException.class).hasMessageContaining("s0");
    }

    @Test
    void anOnlineAddJoinsWithTheTokensAnOfflineAddWouldGetAndBlocksOtherEdits() {
        ShardMap initial = ShardMapRules.initial(1, 64, List.of(shard("s0"), shard("s1"), shard("s2"), shard("s3")));

        ShardMap joining = ShardMapRules.apply(initial, new ShardMapChange.AddShard("s4", "s4", 100, true));
        ShardMap oneShot = ShardMapRules.apply(initial, new ShardMapChange.AddShard("s4", "s4", 100));

        assertThat(joining.shard("s4").orElseThrow().state()).isEqualTo(ShardState.JOINING);
        assertThat(joining.ring().shares()).doesNotContainKey("s4");
        assertThat(joining.tokens().get("s4")).containsExactly(oneShot.tokens().get("s4"));
        assertThatThrownBy(() -> ShardMapRules.apply(joining, new ShardMapChange.SetWeight("s0", 200)))
                .isInstanceOf(ShardMapConflictException.class).hasMessageContaining("joining");
        assertThat(ShardMapRules.apply(joining, new ShardMapChange.RemoveShard("s4")).shard("s4")).isEmpty();
    }
}
