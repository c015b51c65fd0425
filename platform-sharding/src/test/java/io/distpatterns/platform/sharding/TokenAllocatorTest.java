package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TokenAllocatorTest {

    @Test
    void balancedRingGivesEveryShardItsShareWhereHashedTokensDoNot() {
        List<Shard> shards = Shards.standard(64);

        var balanced = ShardRing.of(TokenAllocator.balanced(shards, 256));
        var hashed = ShardRing.hashed(shards, 256);

        assertThat(maxOverMean(balanced)).isLessThan(1.02);
        assertThat(maxOverMean(hashed)).as("the textbook ring, for contrast").isGreaterThan(1.05);
        assertThat(balanced.size()).isEqualTo(64 * 256);
    }

    @Test
    void growingByOneShardMovesExactlyItsShareAndNothingElse() {
        List<Shard> shards = Shards.standard(16);
        Map<String, long[]> tokens = new LinkedHashMap<>(TokenAllocator.balanced(shards, 256));
        var before = new ShardMap(1, 256, shards, Map.of(), tokens);
        Map<String, Integer> weights = new LinkedHashMap<>();
        shards.forEach(s -> weights.put(s.id(), s.weight()));
        weights.put("shard_16", 100);

        tokens.put("shard_16", TokenAllocator.grow(tokens, weights, "shard_16", 256));
        List<Shard> grown = new ArrayList<>(shards);
        grown.add(Shards.active("shard_16"));
        var after = new ShardMap(2, 256, grown, Map.of(), tokens);

        var plan = MovePlan.between(before, after);
        assertThat(plan.movedFraction()).isCloseTo(1.0 / 17, within(0.001));
        assertThat(plan.transfers()).allMatch(t -> t.to().equals("shard_16"));
        assertThat(maxOverMean(after.ring())).isLessThan(1.02);
    }

    @Test
    void weightsAreHonoured() {
        List<Shard> shards = List.of(Shards.active("a"), Shards.active("b").withWeight(300), Shards.active("c"));

        var shares = ShardRing.of(TokenAllocator.balanced(shards, 256)).shares();

        assertThat(shares.get("b")).isCloseTo(0.6, within(0.01));
        assertThat(shares.get("a")).isCloseTo(0.2, within(0.01));
    }

    @Test
    void shrinkingKeepsTheRequestedNumberOfTheShardsOwnTokens() {
        var tokens = TokenAllocator.balanced(Shards.standard(4), 64);

        long[] kept = TokenAllocator.shrink(tokens, "shard_2", 16);

        assertThat(kept).hasSize(16);
        assertThat(tokens.get("shard_2")).contains(kept);
    }

    static double maxOverMean(ShardRing ring) {
        var shares = ring.shares().values();
        double mean = 1.0 / shares.size();
        return shares.stream().mapToDouble(Double::doubleValue).max().orElseThrow() / mean;
    }
}
