package io.distpatterns.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.distpatterns.gateway.config.GatewayProperties.FailMode;
import io.distpatterns.gateway.config.GatewayProperties.Mode;
import io.distpatterns.gateway.config.GatewayProperties.Plan;
import io.distpatterns.gateway.config.GatewayProperties.RateLimit;

/**
 * The gateway's rate limiter: a token bucket per client, in this replica ({@link Mode#LOCAL}) or shared
 * through Redis ({@link Mode#REDIS}). In Redis mode, a call that fails or takes longer than
 * {@code redisTimeout} applies the configured {@link FailMode} and counts one
 * {@code gateway.ratelimit.fallbacks}; for {@code redisRetryInterval} afterwards requests go straight
 * to the fail mode instead of waiting on a dead Redis again. Never fails silently: every fallback is
 * counted and the first of a series logged.
 */
public final class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    private final RateLimit settings;
    private final RedisTokenBucket redis;
    private final LocalTokenBuckets local;
    private final Counter fallbacks;
    private final AtomicLong redisSuspendedUntilNanos = new AtomicLong(System.nanoTime());
    private volatile boolean redisHealthy = true;

    public RateLimiter(RateLimit settings, RedisTokenBucket redis, MeterRegistry meters) {
        this.settings = settings;
        this.redis = redis;
        this.local = new LocalTokenBuckets(settings.replicas(),
                settings.mode() == Mode.LOCAL ? "local" : "fail-local");
        this.fallbacks = Counter.builder("gateway.ratelimit.fallbacks")
                .description("Rate-limit decisions taken by the fail mode because Redis could not be reached")
                .tag("fail_mode", settings.failMode().name().toLowerCase())
                .register(meters);
        if (settings.mode() == Mode.REDIS && redis == null) {
            throw new IllegalStateException("gateway.rate-limit.mode=REDIS needs a Redis connection");
        }
    }

    /** Takes one token of {@code clientId}'s bucket; never errors (Redis failures go to the fail mode). */
    public Mono<RateLimitDecision> tryAcquire(String clientId, Plan plan) {
        if (settings.mode() == Mode.LOCAL) {
            return Mono.fromSupplier(() -> local.tryAcquire(clientId, plan));
        }
        if (System.nanoTime() - redisSuspendedUntilNanos.get() < 0) {
            return Mono.fromSupplier(() -> fallback(clientId, plan));
        }
        return redis.tryAcquire(clientId, plan)
                .timeout(settings.redisTimeout())
                .doOnNext(decision -> {
                    if (!redisHealthy) {
                        redisHealthy = true;
                        log.info("Redis answers again: rate limits are shared across replicas again");
                    }
                })
                .onErrorResume(error -> {
                    redisSuspendedUntilNanos.set(System.nanoTime() + settings.redisRetryInterval().toNanos());
                    if (redisHealthy) {
                        redisHealthy = false;
                        log.warn("Redis unreachable for rate limiting ({}); fail mode {} until it answers again",
                                error.toString(), settings.failMode());
                    }
                    return Mono.fromSupplier(() -> fallback(clientId, plan));
                });
    }

    private RateLimitDecision fallback(String clientId, Plan plan) {
        fallbacks.increment();
        return switch (settings.failMode()) {
            case OPEN -> new RateLimitDecision(true, plan.burst(), plan.burst(), Duration.ZERO, Duration.ZERO, "fail-open");
            case CLOSED -> new RateLimitDecision(false, plan.burst(), 0, settings.redisRetryInterval(),
                    settings.redisRetryInterval(), "fail-closed");
            case LOCAL -> local.tryAcquire(clientId, plan);
        };
    }
}
