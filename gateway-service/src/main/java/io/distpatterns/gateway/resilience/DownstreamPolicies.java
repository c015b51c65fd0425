package io.distpatterns.gateway.resilience;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.distpatterns.gateway.config.GatewayProperties;
import io.distpatterns.gateway.config.GatewayProperties.RoutePolicy;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * The resilience state of every route, built once from {@link GatewayProperties}: a circuit breaker
 * and a retry budget per downstream service (routes to one service share them), a bulkhead per route.
 * Breaker states and bulkhead occupancy are published as {@code resilience4j_*} metrics.
 */
public final class DownstreamPolicies {

    /** What one route runs with. */
    record Route(String id, RoutePolicy policy, CircuitBreaker breaker, Bulkhead bulkhead, RetryBudget retryBudget,
                 Counter shed, Counter retried, Counter retryBudgetExhausted) {
    }

    private final Map<String, Route> routes = new HashMap<>();
    private final GatewayProperties.Retry retry;
    private final Duration openDuration;

    public DownstreamPolicies(GatewayProperties properties, MeterRegistry meters) {
        GatewayProperties.Breaker breaker = properties.breaker();
        this.retry = properties.retry();
        this.openDuration = breaker.openDuration();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, breaker.window().toSeconds()))
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .slowCallDurationThreshold(breaker.slowCallDuration())
                .slowCallRateThreshold(breaker.slowCallRateThreshold())
                .waitDurationInOpenState(breaker.openDuration())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                // Open -> half-open on the first call after openDuration, no timer thread.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        Map<String, RetryBudget> budgets = new HashMap<>();
        properties.routes().forEach((id, policy) -> routes.put(id, new Route(id, policy,
                breakers.circuitBreaker(policy.downstream()),
                bulkheads.bulkhead(id, BulkheadConfig.custom()
                        .maxConcurrentCalls(policy.maxInFlight())
                        .maxWaitDuration(Duration.ZERO) // shed at once: never a queue
                        .build()),
                budgets.computeIfAbsent(policy.downstream(),
                        d -> new RetryBudget(retry.budgetRatio(), retry.budgetMinPerSecond())),
                Counter.builder("gateway.shed").description("Requests shed because the route had max-in-flight requests in flight")
                        .tag("route", id).register(meters),
                Counter.builder("gateway.retries").description("Retries of idempotent requests")
                        .tag("route", id).tag("outcome", "retried").register(meters),
                Counter.builder("gateway.retries").description("Retries of idempotent requests")
                        .tag("route", id).tag("outcome", "budget_exhausted").register(meters))));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    /** The route's policy, or null for a route without one (refused on start by {@link #requirePolicies}). */
    /** The policy of the route the gateway matched for {@code exchange}, or null when there is none. */
    Route routeOf(ServerWebExchange exchange) {
        org.springframework.cloud.gateway.route.Route matched = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return matched == null ? null : route(matched.getId());
    }

    Route route(String routeId) {
        return routes.get(routeId);
    }

    GatewayProperties.Retry retry() {
        return retry;
    }

    Duration openDuration() {
        return openDuration;
    }

    /** Every gateway route must name its timeout and in-flight limit: no hidden defaults. */
    public void requirePolicies(Set<String> routeIds) {
        Set<String> missing = new TreeSet<>(routeIds);
        missing.removeAll(routes.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("routes without a policy (gateway.routes.<id>.timeout, max-in-flight, "
                    + "downstream): " + missing);
        }
    }

    /** The breaker of a downstream service (tests and diagnostics). */
    public CircuitBreaker breaker(String downstream) {
        return routes.values().stream().map(Route::breaker).filter(b -> b.getName().equals(downstream))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no downstream " + downstream));
    }
}
