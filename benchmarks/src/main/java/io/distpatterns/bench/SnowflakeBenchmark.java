package io.distpatterns.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import io.distpatterns.platform.ids.SnowflakeGenerator;
import io.distpatterns.platform.ids.TimeSource;
import io.distpatterns.platform.ids.WorkerLease;

/**
 * IDs per second from one generator, from 1 and from 8 threads. The layout's ceiling is 4,096 IDs
 * per millisecond per worker (4,096,000/s): a generator can never beat it, only approach it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SnowflakeBenchmark {

    SnowflakeGenerator generator;

    @Setup
    public void setUp() {
        WorkerLease lease = new WorkerLease() {
            public int workerId() {
                return 1;
            }

            public long validUntilNanos() {
                return System.nanoTime() + 3_600_000_000_000L;
            }

            public long floorMillis() {
                return 0;
            }

            public long ceilingMillis() {
                return Long.MAX_VALUE;
            }

            public String lostReason() {
                return null;
            }
        };
        generator = new SnowflakeGenerator(lease, TimeSource.SYSTEM, 5);
    }

    @Benchmark
    @Threads(1)
    public long oneThread() {
        return generator.nextId();
    }

    @Benchmark
    @Threads(8)
    public long eightThreads() {
        return generator.nextId();
    }
}
