package io.distpatterns.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.google.common.hash.Hashing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.distpatterns.platform.sharding.ShardMap;

/**
 * ns per routed key: our ShardMap (canonical key, Murmur3, directory lookup, binary search over
 * the ring) against Guava's jump consistent hash fed the same Murmur3 hash of the same key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteBenchmark {

    @Param({"4", "16", "64"})
    int shards;

    @Param({"64", "256", "1024"})
    int vnodes;

    ShardMap map;
    String[] keys;
    int next;

    @Setup
    public void setUp() {
        map = Workloads.map(shards, vnodes);
        keys = Workloads.keys(4096);
    }

    @Benchmark
    public String shardMapRoute() {
        String key = keys[next++ & 4095];
        return map.route(key).shardId();
    }

    @Benchmark
    public int guavaJumpConsistentHash() {
        String key = keys[next++ & 4095];
        return Hashing.consistentHash(Hashing.murmur3_128().hashString(key, StandardCharsets.UTF_8).asLong(), shards);
    }
}
