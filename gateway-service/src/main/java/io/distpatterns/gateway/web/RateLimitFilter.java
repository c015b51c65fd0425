package io.distpatterns.gateway.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.distpatterns.gateway.config.GatewayProperties;
import io.distpatterns.gateway.config.GatewayProperties.Plan;
import io.distpatterns.gateway.ratelimit.RateLimitDecision;
import io.distpatterns.gateway.ratelimit.RateLimiter;

/**
 * One token per request of an authenticated client. Every answer carries {@code RateLimit-Limit}
 * (the burst), {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until the bucket is
 * full); a refused request gets 429 with {@code Retry-After} (seconds until a token is due), or 503
 * when Redis is unreachable and the fail mode is CLOSED.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    static final int ORDER = ApiKeyFilter.ORDER + 10;

    private final RateLimiter limiter;
    private final Map<String, Plan> plans;
    private final Map<String, Counter> rejections = new HashMap<>();

    RateLimitFilter(RateLimiter limiter, GatewayProperties properties, MeterRegistry meters) {
        this.limiter = limiter;
        this.plans = properties.rateLimit().plans();
        // Registered up front: no meter is created on the request path (or during a scrape).
        for (String clientId : properties.security().apiKeys().keySet()) {
            for (String source : List.of("local", "redis", "fail-local", "fail-closed")) {
                rejections.put(clientId + '/' + source, Counter.builder("gateway.ratelimit.rejections")
                        .description("Requests refused by the rate limiter")
                        .tag("client", clientId)
                        .tag("source", source)
                        .register(meters));
            }
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AuthenticatedClient client = exchange.getAttribute(AuthenticatedClient.ATTRIBUTE);
        if (client == null) {
            return chain.filter(exchange);
        }
        return limiter.tryAcquire(client.clientId(), plans.get(client.plan())).flatMap(decision -> {
            Map<String, String> headers = headers(decision);
            if (decision.allowed()) {
                HttpHeaders response = exchange.getResponse().getHeaders();
                headers.forEach(response::set);
                return chain.filter(exchange);
            }
            Counter rejected = rejections.get(client.clientId() + '/' + decision.source());
            if (rejected != null) {
                rejected.increment();
            }
            if ("fail-closed".equals(decision.source())) {
                return Mono.error(GatewayProblem.serviceUnavailable("Rate Limiter Unavailable",
                        "the shared rate limiter cannot be reached and the gateway fails closed",
                        decision.retryAfter()));
            }
            return Mono.error(GatewayProblem.tooManyRequests(
                    "client '" + client.clientId() + "' used its " + decision.limit() + "-request burst of plan '"
                            + client.plan() + "'; the next token is due in " + decision.retryAfter().toMillis() + " ms",
                    decision.retryAfter(), headers));
        });
    }

    private static Map<String, String> headers(RateLimitDecision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Long.toString(decision.limit()));
        headers.put("RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.put("RateLimit-Reset", Long.toString((decision.resetAfter().toMillis() + 999) / 1000));
        return headers;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
