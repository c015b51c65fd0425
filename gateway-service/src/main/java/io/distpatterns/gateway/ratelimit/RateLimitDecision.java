package io.distpatterns.gateway.ratelimit;

import java.time.Duration;

/**
 * The answer of a token bucket to one request.
 *
 * @param allowed whether the request took a token
 * @param limit the bucket's capacity (the burst)
 * @param remaining tokens left after this request
 * @param retryAfter when a refused request could be served; zero when allowed
 * @param resetAfter when the bucket is full again
 * @param source where the answer came from: {@code local}, {@code redis}, or {@code fail-open}/{@code fail-local} while Redis is unreachable
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, Duration retryAfter, Duration resetAfter,
                                String source) {
}
