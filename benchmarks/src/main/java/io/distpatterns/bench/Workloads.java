package io.distpatterns.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardState;
import io.distpatterns.platform.sharding.TokenAllocator;

/** The shard maps and keys the benchmarks share. */
final class Workloads {

    private Workloads() {
    }

    static List<Shard> shards(int count) {
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shards.add(new Shard("orders_shard_" + i, "orders_shard_" + i, Shard.STANDARD_WEIGHT, ShardState.ACTIVE));
        }
        return shards;
    }

    /** The map shard-router would build: balanced tokens. */
    static ShardMap map(int shards, int vnodes) {
        List<Shard> list = shards(shards);
        return new ShardMap(1, vnodes, list, Map.of(), TokenAllocator.balanced(list, vnodes));
    }

    /** The textbook ring, tokens at hashed positions: the reference for balance. */
    static ShardMap hashedMap(int shards, int vnodes) {
        return new ShardMap(1, vnodes, shards(shards), Map.of());
    }

    static String[] keys(int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = "customer-" + (i * 7919L + 104729L);
        }
        return keys;
    }
}
