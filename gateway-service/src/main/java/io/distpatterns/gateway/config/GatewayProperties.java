package io.distpatterns.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the gateway enforces, under {@code gateway.*}. Defaults are the values in the
 * {@link DefaultValue} annotations; {@code application.yml} names the routes' policies and the plans,
 * {@code application-local.yml} the local development keys.
 *
 * @param security API keys and which headers only the gateway may set
 * @param rateLimit token buckets per key: plans, local or Redis, fail mode
 * @param limits request size caps (413, 431)
 * @param breaker one circuit breaker per downstream, all with these settings
 * @param retry retries of idempotent requests, with jittered backoff and a budget
 * @param routes policy per Spring Cloud Gateway route id; every route must have one (checked on start)
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        @Valid @NotNull @DefaultValue Security security,
        @Valid @NotNull @DefaultValue RateLimit rateLimit,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Breaker breaker,
        @Valid @NotNull @DefaultValue Retry retry,
        @NotEmpty Map<String, @Valid RoutePolicy> routes) {

    public enum Role { CLIENT, ADMIN }

    /**
     * @param apiKeyHeader the header clients send their key in
     * @param clientIdHeader set by the gateway on forwarded requests (the authenticated client id)
     * @param internalHeaders headers only the gateway may set: removed from every incoming request
     * @param publicPaths paths under {@code /api} that need no key (the services' OpenAPI documents)
     * @param adminPaths paths that need an admin key
     * @param adminWritePaths paths any key may read (GET, HEAD, OPTIONS) but only an admin key may
     *     change: the shard map, whose edits move customers between shards
     * @param apiKeys client id to its key, plan and role; not in the repository except for the local profile
     */
    public record Security(
            @NotBlank @DefaultValue("X-API-Key") String apiKeyHeader,
            @NotBlank @DefaultValue("X-Client-Id") String clientIdHeader,
            @DefaultValue({"X-Client-Id", "X-Client-Role", "X-Client-Plan"}) List<String> internalHeaders,
            @DefaultValue("/api/docs/**") List<String> publicPaths,
            @DefaultValue("/api/admin/**") List<String> adminPaths,
            @DefaultValue("/api/shards/**") List<String> adminWritePaths,
            @NotEmpty(message = "no API keys configured: set gateway.security.api-keys.<client-id>.key (see README)")
            Map<String, @Valid ApiKey> apiKeys) {
    }

    /** One client's key. The key itself comes from configuration, never from code. */
    public record ApiKey(@NotBlank String key, @NotBlank String plan, @NotNull @DefaultValue("CLIENT") Role role) {
    }

    public enum Mode {
        /** Buckets in this replica only (Bucket4j); no Redis needed. */
        LOCAL,
        /** Buckets shared by every replica in Redis: one Lua script call per request, Redis server time. */
        REDIS
    }

    /** What the Redis mode does while Redis cannot be reached. */
    public enum FailMode {
        /** Admit every request (counted as a fallback). */
        OPEN,
        /** Reject every request with 503 (counted as a fallback). */
        CLOSED,
        /** Limit with a local bucket sized to this replica's share of the plan (counted as a fallback). */
        LOCAL
    }

    /**
     * @param mode LOCAL (default, no Redis) or REDIS
     * @param failMode when Redis is unreachable in REDIS mode: OPEN, CLOSED or LOCAL (default)
     * @param replicas number of gateway replicas; local buckets get 1/replicas of each plan
     * @param redisTimeout longest wait for Redis before the fail mode applies
     * @param redisRetryInterval after a Redis failure, how long requests go straight to the fail mode
     * @param redisKeyPrefix prefix of the bucket keys in Redis (followed by the client id)
     * @param plans plan name to its burst and refill rate
     */
    public record RateLimit(
            @NotNull @DefaultValue("LOCAL") Mode mode,
            @NotNull @DefaultValue("LOCAL") FailMode failMode,
            @Min(1) @DefaultValue("1") int replicas,
            @NotNull @DefaultValue("50ms") Duration redisTimeout,
            @NotNull @DefaultValue("1s") Duration redisRetryInterval,
            @NotBlank @DefaultValue("gateway:rate:") String redisKeyPrefix,
            @NotEmpty Map<String, @Valid Plan> plans) {
    }

    /**
     * A token bucket: {@code burst} tokens at most, refilled continuously at {@code ratePerSecond}.
     * A request takes one token.
     */
    public record Plan(@Min(1) long burst, @DecimalMin("0.001") double ratePerSecond) {
    }

    /**
     * @param maxBodySize larger request bodies get 413
     * @param maxHeaderSize total size of the request headers (names and values); larger gets 431
     * @param maxHeaderCount more request headers than this gets 431
     */
    public record Limits(
            @NotNull @DefaultValue("1MB") DataSize maxBodySize,
            @NotNull @DefaultValue("16KB") DataSize maxHeaderSize,
            @Min(1) @DefaultValue("100") int maxHeaderCount) {
    }

    /**
     * Settings of every downstream's breaker (resilience4j, time-based sliding window).
     *
     * @param window length of the sliding window the rates are computed over
     * @param minimumCalls calls in the window before any rate is judged
     * @param failureRateThreshold percentage of failed calls (5xx, timeouts, connection errors) that opens the breaker
     * @param slowCallDuration a call slower than this is slow
     * @param slowCallRateThreshold percentage of slow calls that opens the breaker
     * @param openDuration how long the breaker stays open before it lets probes through
     * @param halfOpenCalls probes in the half-open state; their outcome closes or reopens the breaker
     */
    public record Breaker(
            @NotNull @DefaultValue("10s") Duration window,
            @Min(1) @DefaultValue("20") int minimumCalls,
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
            @NotNull @DefaultValue("2s") Duration slowCallDuration,
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("80") float slowCallRateThreshold,
            @NotNull @DefaultValue("5s") Duration openDuration,
            @Min(1) @DefaultValue("3") int halfOpenCalls) {
    }

    /**
     * Retries of idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, or any carrying
     * {@code Idempotency-Key}) after a connection error, a timeout, or a 502/503/504.
     *
     * @param maxAttempts attempts in all, the first included
     * @param initialBackoff backoff ceiling before the second attempt; doubles per attempt ("full jitter": uniform in [0, ceiling])
     * @param maxBackoff the largest backoff ceiling
     * @param budgetRatio retries allowed per request seen (0.2: at most one retry per five requests)
     * @param budgetMinPerSecond retries always allowed per second, for low traffic
     */
    public record Retry(
            @Min(1) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("25ms") Duration initialBackoff,
            @NotNull @DefaultValue("250ms") Duration maxBackoff,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.2") double budgetRatio,
            @Min(0) @DefaultValue("5") int budgetMinPerSecond) {
    }

    /**
     * @param downstream the service behind the route; routes to one service share its breaker
     * @param timeout time to the downstream's response headers, per attempt; explicit, no default
     * @param maxInFlight requests in flight on this route at most; more are shed with 503
     * @param retries whether idempotent requests on this route are retried
     */
    public record RoutePolicy(
            @NotBlank String downstream,
            @NotNull Duration timeout,
            @Positive int maxInFlight,
            @DefaultValue("true") boolean retries) {
    }
}
