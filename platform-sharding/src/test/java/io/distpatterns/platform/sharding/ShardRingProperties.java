package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

class ShardRingProperties {

    @Property(tries = 200)
    void removingAShardMovesOnlyTheKeysItOwned(@ForAll @IntRange(min = 2, max = 12) int shardCount,
                                               @ForAll @IntRange(min = 0, max = 11) int removedIndex,
                                               @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 0) Integer> keys) {
        List<Shard> shards = Shards.standard(shardCount);
        String removed = shards.get(removedIndex % shardCount).id();
        List<Shard> remaining = new ArrayList<>(shards);
        remaining.removeIf(s -> s.id().equals(removed));
        ShardRing before = ShardRing.hashed(shards, 32);
        ShardRing after = ShardRing.hashed(remaining, 32);

        for (int key : keys) {
            String owner = before.route(key);
            if (!owner.equals(removed)) {
                assertThat(after.route(key)).isEqualTo(owner);
            } else {
                assertThat(after.route(key)).isNotEqualTo(removed);
            }
        }
    }

    @Property(tries = 200)
    void routingDependsOnlyOnTheShardsNotTheirOrder(@ForAll @IntRange(min = 1, max = 10) int shardCount,
                                                   @ForAll long key) {
        List<Shard> shards = Shards.standard(shardCount);
        List<Shard> reversed = new ArrayList<>(shards);
        java.util.Collections.reverse(reversed);

        assertThat(ShardRing.hashed(reversed, 16).route(key)).isEqualTo(ShardRing.hashed(shards, 16).route(key));
    }
}
