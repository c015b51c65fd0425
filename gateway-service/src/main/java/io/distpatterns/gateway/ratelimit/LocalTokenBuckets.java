package io.distpatterns.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import io.distpatterns.gateway.config.GatewayProperties.Plan;

/**
 * Token buckets held in this replica (Bucket4j, lock-free), one per client, each sized to this
 * replica's share of the plan: {@code burst / replicas} (rounded up) and {@code rate / replicas}.
 */
public final class LocalTokenBuckets {

    private final int replicas;
    private final String source;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public LocalTokenBuckets(int replicas, String source) {
        this.replicas = replicas;
        this.source = source;
    }

    public RateLimitDecision tryAcquire(String clientId, Plan plan) {
        long capacity = capacity(plan);
        Bucket bucket = buckets.computeIfAbsent(clientId, id -> newBucket(capacity, plan.ratePerSecond() / replicas));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new RateLimitDecision(probe.isConsumed(), capacity, probe.getRemainingTokens(),
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()),
                Duration.ofNanos(probe.getNanosToWaitForReset()), source);
    }

    long capacity(Plan plan) {
        return (plan.burst() + replicas - 1) / replicas;
    }

    private static Bucket newBucket(long capacity, double ratePerSecond) {
        // Tokens per 1000 s keeps fractional rates (0.5/s) exact; greedy refill adds each token as soon as it is due.
        long tokensPer1000s = Math.max(1, Math.round(ratePerSecond * 1000));
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity)
                        .refillGreedy(tokensPer1000s, Duration.ofSeconds(1000))
                        .build())
                .build();
    }
}
