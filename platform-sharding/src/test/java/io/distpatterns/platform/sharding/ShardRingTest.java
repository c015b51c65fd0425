package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardRingTest {

    static final int KEYS = 200_000;

    @Test
    void spreadsKeysEvenlyWithTwoHundredFiftySixVirtualNodes() {
        ShardRing ring = ShardRing.hashed(Shards.standard(16), 256);

        Map<String, Integer> counts = countKeys(ring, KEYS);

        double mean = (double) KEYS / 16;
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(counts).hasSize(16);
        assertThat(max / mean).isLessThan(1.15);
    }

    @Test
    void addingAShardMovesAboutItsShareAndOnlyToIt() {
        List<Shard> four = Shards.standard(4);
        List<Shard> five = new ArrayList<>(four);
        five.add(Shards.active("shard_4"));
        ShardRing before = ShardRing.hashed(four, 256);
        ShardRing after = ShardRing.hashed(five, 256);

        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            String from = before.route("customer-" + k);
            String to = after.route("customer-" + k);
            if (!from.equals(to)) {
                moved++;
                assertThat(to).isEqualTo("shard_4");
            }
        }

        assertThat((double) moved / KEYS).isBetween(0.2 * 0.85, 0.2 * 1.1);
    }

    @Test
    void heavierShardsOwnProportionallyMoreKeys() {
        List<Shard> shards = List.of(Shards.active("a"), Shards.active("b").withWeight(300));

        Map<String, Integer> counts = countKeys(ShardRing.hashed(shards, 256), KEYS);

        assertThat((double) counts.get("b") / KEYS).isBetween(0.70, 0.80);
    }

    @Test
    void drainingShardsOwnNothing() {
        List<Shard> shards = List.of(Shards.active("a"), Shards.active("b").withState(ShardState.DRAINING));

        assertThat(countKeys(ShardRing.hashed(shards, 64), 10_000)).containsOnlyKeys("a");
    }

    @Test
    void wrapsAroundPastTheLargestPosition() {
        ShardRing ring = ShardRing.hashed(Shards.standard(3), 8);
        long[] positions = ring.positions();

        assertThat(ring.ownerOf(Long.MAX_VALUE)).isEqualTo(ring.ownerOf(positions[0]));
        assertThat(ring.ownerOf(positions[positions.length - 1] + 1)).isEqualTo(ring.ownerOf(Long.MIN_VALUE));
    }

    @Test
    void emptyRingCannotRoute() {
        assertThatThrownBy(() -> ShardRing.hashed(List.of(), 64).ownerOf(0)).hasMessageContaining("no active shard");
    }

    static Map<String, Integer> countKeys(ShardRing ring, int keys) {
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            counts.merge(ring.route("customer-" + k), 1, Integer::sum);
        }
        return counts;
    }
}
