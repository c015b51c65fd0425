package io.distpatterns.gateway.resilience;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.distpatterns.gateway.web.GatewayProblem;

/**
 * Wraps the call to the downstream service (up to its response headers; the body is streamed after)
 * in the route's timeout, the downstream's circuit breaker and, for idempotent requests, retries.
 *
 * <ul>
 *   <li>Timeout: {@code gateway.routes.<id>.timeout} per attempt, then 504. No other timeout applies.</li>
 *   <li>Breaker: a 5xx answer, a timeout or a connection error is a failure; a call slower than
 *       {@code slowCallDuration} is slow. When open, requests get 503 with {@code Retry-After} without
 *       reaching the service.</li>
 *   <li>A 503 that carries {@code Retry-After} is the service's own, deliberate refusal of one request
 *       (order-service: the shard of this customer is down; any service shedding load): it is passed to
 *       the client as it is, not recorded by the breaker at all (neither failure nor slow call) and not
 *       retried here. Counting it would let
 *       one unreachable shard, with its clients retrying, open the breaker for every customer of the
 *       service; retrying it before the time it names only adds load (found by the system test).</li>
 *   <li>Retry: GET, HEAD, OPTIONS, PUT, DELETE or a request with {@code Idempotency-Key}, after a
 *       connection error, a timeout or a 502/503/504, up to {@code maxAttempts}, with full-jitter
 *       exponential backoff, while the downstream's retry budget allows. A retried request's body is
 *       buffered (it is capped by {@code gateway.limits.max-body-size}).</li>
 * </ul>
 */
@Component
class DownstreamResilienceFilter implements GlobalFilter, Ordered {

    /** After the response writer (so the status can still be judged), before the route's own filters. */
    static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER + 1;

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);
    private static final Set<Integer> RETRIED_STATUSES = Set.of(502, 503, 504);

    private final DownstreamPolicies policies;

    DownstreamResilienceFilter(DownstreamPolicies policies) {
        this.policies = policies;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        DownstreamPolicies.Route route = policies.routeOf(exchange);
        if (route == null) {
            return chain.filter(exchange);
        }
        route.retryBudget().recordRequest();
        ServerHttpRequest request = exchange.getRequest();
        boolean retryable = route.policy().retries() && policies.retry().maxAttempts() > 1 && idempotent(request);
        if (retryable && hasBody(request.getHeaders())) {
            return ServerWebExchangeUtils.cacheRequestBody(exchange,
                    cached -> attempt(exchange.mutate().request(cached).build(), chain, route, 1, true));
        }
        return attempt(exchange, chain, route, 1, retryable);
    }

    private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, DownstreamPolicies.Route route,
                               int attempt, boolean retryable) {
        CircuitBreaker breaker = route.breaker();
        if (!breaker.tryAcquirePermission()) {
            return Mono.error(GatewayProblem.serviceUnavailable("Service Unavailable",
                    "circuit breaker of " + breaker.getName() + " is " + breaker.getState().name().toLowerCase()
                            + ": the service failed or answered slowly too often; requests are not sent until it recovers",
                    policies.openDuration()));
        }
        long start = System.nanoTime();
        return chain.filter(exchange)
                .timeout(route.policy().timeout())
                .then(Mono.fromSupplier(() -> Outcome.answered(exchange.getResponse().getStatusCode(),
                        exchange.getResponse().getHeaders().containsHeader(HttpHeaders.RETRY_AFTER))))
                .onErrorResume(error -> Mono.just(Outcome.failed(error)))
                .doOnCancel(breaker::releasePermission)
                .flatMap(outcome -> {
                    long elapsed = System.nanoTime() - start;
                    if (outcome.isDeliberateRefusal()) {
                        breaker.releasePermission(); // says nothing of the service's health, slow or not
                    } else if (outcome.isDownstreamFailure()) {
                        breaker.onError(elapsed, TimeUnit.NANOSECONDS, outcome.failureCause());
                    } else {
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                    }
                    if (retryable && outcome.isRetryable() && attempt < policies.retry().maxAttempts()) {
                        if (route.retryBudget().tryWithdraw()) {
                            route.retried().increment();
                            ServerWebExchangeUtils.reset(exchange);
                            return Mono.delay(backoff(attempt))
                                    .then(Mono.defer(() -> attempt(exchange, chain, route, attempt + 1, true)));
                        }
                        route.retryBudgetExhausted().increment();
                    }
                    return outcome.error() == null ? Mono.<Void>empty() : Mono.<Void>error(outcome.error());
                });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** Full jitter: uniform in [0, min(maxBackoff, initialBackoff * 2^(attempt-1))]. */
    private Duration backoff(int attempt) {
        long ceiling = Math.min(policies.retry().maxBackoff().toNanos(),
                policies.retry().initialBackoff().toNanos() << Math.min(attempt - 1, 20));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private static boolean idempotent(ServerHttpRequest request) {
        return IDEMPOTENT.contains(request.getMethod()) || request.getHeaders().containsHeader("Idempotency-Key");
    }

    private static boolean hasBody(HttpHeaders headers) {
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /** How one attempt ended: an answer with a status, or an error before any answer. */
    private record Outcome(HttpStatusCode status, boolean retryAfter, Throwable error) {

        static Outcome answered(HttpStatusCode status, boolean retryAfter) {
            return new Outcome(status, retryAfter, null);
        }

        static Outcome failed(Throwable error) {
            return new Outcome(null, false, error);
        }

        /** 503 with Retry-After: the service answered, on purpose, that this request must wait. */
        boolean isDeliberateRefusal() {
            return status != null && status.value() == 503 && retryAfter;
        }

        boolean isDownstreamFailure() {
            if (error != null) {
                return !(error instanceof GatewayProblem); // the gateway's own refusals say nothing of the service
            }
            return status != null && status.is5xxServerError() && !isDeliberateRefusal();
        }

        Throwable failureCause() {
            return error != null ? error : new IOException("downstream answered " + status.value());
        }

        boolean isRetryable() {
            if (error != null) {
                return error instanceof TimeoutException || causedBy(error, ConnectException.class);
            }
            return status != null && RETRIED_STATUSES.contains(status.value()) && !isDeliberateRefusal();
        }

        private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
            return false;
        }
    }
}
