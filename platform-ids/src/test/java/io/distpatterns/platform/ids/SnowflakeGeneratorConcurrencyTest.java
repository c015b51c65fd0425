package io.distpatterns.platform.ids;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnowflakeGeneratorConcurrencyTest {

    static final int THREADS = 8;
    static final int PER_THREAD = 1_000_000;

    @Test
    void eightThreadsTimesOneMillionIdsHaveNoDuplicatesAndIncreasePerThread() throws Exception {
        var generator = new SnowflakeGenerator(new FixedLease(3, 0), TimeSource.SYSTEM, 5);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<long[]>> futures = new ArrayList<>();
        Callable<long[]> task = () -> {
            long[] ids = new long[PER_THREAD];
            for (int i = 0; i < PER_THREAD; i++) {
                ids[i] = generator.nextId();
            }
            return ids;
        };
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(task));
        }

        long[] all = new long[THREADS * PER_THREAD];
        int offset = 0;
        int outOfOrder = 0;
        for (Future<long[]> f : futures) {
            long[] ids = f.get();
            for (int i = 1; i < ids.length; i++) {
                if (ids[i] <= ids[i - 1]) {
                    outOfOrder++;
                }
            }
            System.arraycopy(ids, 0, all, offset, ids.length);
            offset += ids.length;
        }
        pool.shutdown();

        Arrays.sort(all);
        int duplicates = 0;
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                duplicates++;
            }
        }
        assertThat(outOfOrder).isZero();
        assertThat(duplicates).isZero();
        assertThat(generator.issuedCount()).isEqualTo((long) THREADS * PER_THREAD);
    }
}
