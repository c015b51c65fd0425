package io.distpatterns.gateway.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.distpatterns.gateway.config.GatewayProperties.Plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LocalTokenBucketsTest {

    @Test
    void admitsBurstPlusRateTimesElapsedUnderConstantArrivalRate() {
        LocalTokenBuckets buckets = new LocalTokenBuckets(1, "local");
        Plan plan = new Plan(40, 100);
        AtomicInteger admitted = new AtomicInteger();

        double seconds = OpenLoopArrivals.run(400, 1000, i -> {
            if (buckets.tryAcquire("client", plan).allowed()) {
                admitted.incrementAndGet();
            }
        });

        double expected = plan.burst() + plan.ratePerSecond() * seconds;
        assertThat((double) admitted.get()).isCloseTo(expected, within(expected * 0.02));
    }

    @Test
    void sizesBucketToTheReplicasShareOfThePlan() {
        LocalTokenBuckets buckets = new LocalTokenBuckets(3, "fail-local");
        Plan plan = new Plan(10, 0.001);

        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            if (buckets.tryAcquire("client", plan).allowed()) {
                admitted++;
            }
        }

        assertThat(admitted).isEqualTo(4); // ceil(10 / 3)
    }

    @Test
    void refusedDecisionSaysWhenTheNextTokenIsDue() {
        LocalTokenBuckets buckets = new LocalTokenBuckets(1, "local");
        Plan plan = new Plan(1, 2);
        buckets.tryAcquire("client", plan);

        RateLimitDecision refused = buckets.tryAcquire("client", plan);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter().toMillis()).isBetween(400L, 500L);
    }

    @Test
    void keepsOneBucketPerClient() {
        LocalTokenBuckets buckets = new LocalTokenBuckets(1, "local");
        Plan plan = new Plan(1, 0.001);
        buckets.tryAcquire("a", plan);

        assertThat(buckets.tryAcquire("a", plan).allowed()).isFalse();
        assertThat(buckets.tryAcquire("b", plan).allowed()).isTrue();
    }
}
