package io.distpatterns.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.distpatterns.gateway.config.GatewayProperties.Plan;

/**
 * Token buckets shared by every gateway replica, in Redis: one {@code EVALSHA} of
 * {@code ratelimit/token_bucket.lua} per request, which reads the bucket, refills it by the time
 * elapsed on the Redis server's clock ({@code TIME}, microseconds) and takes a token, atomically.
 * A bucket is a hash {@code <prefix><client id>} that expires once it would be full again.
 */
public final class RedisTokenBucket {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List<Long>> SCRIPT = (RedisScript) RedisScript.of(
            new ClassPathResource("ratelimit/token_bucket.lua"), List.class);

    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;

    public RedisTokenBucket(ReactiveStringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    public Mono<RateLimitDecision> tryAcquire(String clientId, Plan plan) {
        return redis.execute(SCRIPT, List.of(keyPrefix + clientId),
                        List.of(Long.toString(plan.burst()), Double.toString(plan.ratePerSecond()), "1"))
                .next()
                .map(result -> new RateLimitDecision(result.get(0) == 1L, plan.burst(), result.get(1),
                        Duration.ofNanos(result.get(2) * 1000), Duration.ofNanos(result.get(3) * 1000), "redis"));
    }
}
