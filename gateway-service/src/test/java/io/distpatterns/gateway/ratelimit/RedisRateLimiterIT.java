package io.distpatterns.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.distpatterns.gateway.config.GatewayProperties.FailMode;
import io.distpatterns.gateway.config.GatewayProperties.Mode;
import io.distpatterns.gateway.config.GatewayProperties.Plan;
import io.distpatterns.gateway.config.GatewayProperties.RateLimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The shared limiter on a real Redis server: accuracy, and each fail mode when Redis goes away. */
class RedisRateLimiterIT {

    static RedisServerProcess redis;
    static LettuceConnectionFactory connections;
    static ReactiveStringRedisTemplate template;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
        connections = connectTo(redis.port());
        template = new ReactiveStringRedisTemplate(connections);
    }

    @AfterAll
    static void stopRedis() {
        connections.destroy();
        redis.close();
    }

    @Test
    void admitsBurstPlusRateTimesElapsedUnderConstantArrivalRate() {
        RedisTokenBucket bucket = new RedisTokenBucket(template, "test:accuracy:");
        Plan plan = new Plan(100, 200);
        bucket.tryAcquire("warm-up", plan).block(); // connection and script cache ready before the clock starts
        List<CompletableFuture<RateLimitDecision>> answers = new ArrayList<>();

        double seconds = OpenLoopArrivals.run(400, 1200,
                i -> answers.add(bucket.tryAcquire("client", plan).toFuture()));

        long admitted = answers.stream().map(CompletableFuture::join).filter(RateLimitDecision::allowed).count();
        double expected = plan.burst() + plan.ratePerSecond() * seconds;
        assertThat((double) admitted).isCloseTo(expected, within(expected * 0.02));
        assertThat(answers.get(answers.size() - 1).join().source()).isEqualTo("redis");
    }

    @Test
    void sharesOneBucketBetweenReplicas() {
        Plan plan = new Plan(10, 0.001);
        RateLimiter replicaA = limiter(FailMode.LOCAL, template, 2, "test:shared:");
        RateLimiter replicaB = limiter(FailMode.LOCAL, template, 2, "test:shared:");

        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += replicaA.tryAcquire("client", plan).block().allowed() ? 1 : 0;
            admitted += replicaB.tryAcquire("client", plan).block().allowed() ? 1 : 0;
        }

        assertThat(admitted).isEqualTo(10);
    }

    @Test
    void fallsBackToLocalShareWhenRedisStopsAndReturnsToRedisWhenItIsBack() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            LettuceConnectionFactory factory = connectTo(own.port());
            try {
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                RateLimiter limiter = new RateLimiter(settings(FailMode.LOCAL, 2),
                        new RedisTokenBucket(new ReactiveStringRedisTemplate(factory), "test:fallback:"), meters);
                Plan plan = new Plan(10, 0.001);
                assertThat(limiter.tryAcquire("client", plan).block().source()).isEqualTo("redis");

                own.stop();
                List<RateLimitDecision> during = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    during.add(limiter.tryAcquire("client", plan).block());
                }

                assertThat(during).allSatisfy(d -> assertThat(d.source()).isEqualTo("fail-local"));
                assertThat(during.stream().filter(RateLimitDecision::allowed).count())
                        .as("the local bucket holds this replica's share: ceil(10 / 2)").isEqualTo(5);
                assertThat(meters.get("gateway.ratelimit.fallbacks").counter().count()).isEqualTo(10);

                own.startAgain();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "redis".equals(limiter.tryAcquire("client", plan).block().source()));
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void failOpenAdmitsAndFailClosedRefusesWhenRedisIsUnreachable() {
        LettuceConnectionFactory nowhere = connectTo(RedisServerProcess.freePort());
        try {
            ReactiveStringRedisTemplate dead = new ReactiveStringRedisTemplate(nowhere);
            Plan plan = new Plan(1, 0.001);
            RateLimiter open = limiter(FailMode.OPEN, dead, 1, "test:open:");
            RateLimiter closed = limiter(FailMode.CLOSED, dead, 1, "test:closed:");

            AtomicInteger openAdmitted = new AtomicInteger();
            AtomicInteger closedAdmitted = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                openAdmitted.addAndGet(open.tryAcquire("client", plan).block().allowed() ? 1 : 0);
                closedAdmitted.addAndGet(closed.tryAcquire("client", plan).block().allowed() ? 1 : 0);
            }

            assertThat(openAdmitted).hasValue(5);
            assertThat(closedAdmitted).hasValue(0);
            assertThat(closed.tryAcquire("client", plan).block().source()).isEqualTo("fail-closed");
        } finally {
            nowhere.destroy();
        }
    }

    private static RateLimiter limiter(FailMode failMode, ReactiveStringRedisTemplate redisTemplate, int replicas,
                                       String prefix) {
        return new RateLimiter(settings(failMode, replicas), new RedisTokenBucket(redisTemplate, prefix),
                new SimpleMeterRegistry());
    }

    private static RateLimit settings(FailMode failMode, int replicas) {
        return new RateLimit(Mode.REDIS, failMode, replicas, Duration.ofMillis(500), Duration.ofMillis(100),
                "unused:", Map.of("p", new Plan(1, 1)));
    }

    private static LettuceConnectionFactory connectTo(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(500))
                        .clientOptions(ClientOptions.builder()
                                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
