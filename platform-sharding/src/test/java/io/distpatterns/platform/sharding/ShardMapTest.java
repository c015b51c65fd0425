package io.distpatterns.platform.sharding;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardMapTest {

    @Test
    void pinnedKeyOverridesTheRing() {
        var plain = Shards.map(3, 64, Shards.standard(4));
        String ringOwner = plain.route("hot-customer").shardId();
        String other = ringOwner.equals("shard_0") ? "shard_1" : "shard_0";

        var pinned = new ShardMap(4, 64, Shards.standard(4), Map.of("hot-customer", other));

        assertThat(pinned.route("hot-customer")).isEqualTo(new ShardMap.Route("hot-customer", other, 4, true));
        assertThat(plain.route("hot-customer").pinned()).isFalse();
    }

    @Test
    void numericKeyFindsItsStringPin() {
        var map = new ShardMap(1, 64, Shards.standard(2), Map.of("42", "shard_1"));

        assertThat(map.route(42L).shardId()).isEqualTo("shard_1");
        assertThat(map.route(42).pinned()).isTrue();
    }

    @Test
    void rejectsDuplicateShardsAndPinsToUnknownShards() {
        assertThatThrownBy(() -> Shards.map(1, 8, List.of(Shards.active("a"), Shards.active("a"))))
                .hasMessageContaining("duplicate shard id a");
        assertThatThrownBy(() -> new ShardMap(1, 8, Shards.standard(1), Map.of("k", "nowhere")))
                .hasMessageContaining("unknown shard nowhere");
    }

    @Test
    void documentRoundTripRoutesIdentically() {
        var map = new ShardMap(9, 128, Shards.standard(5), Map.of("vip", "shard_3"));

        var copy = ShardMapDocument.of(map).toMap();

        for (int k = 0; k < 1000; k++) {
            assertThat(copy.route(k)).isEqualTo(map.route(k));
        }
        assertThat(copy.route("vip")).isEqualTo(map.route("vip"));
    }
}
