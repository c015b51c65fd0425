package io.distpatterns.gateway.resilience;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.distpatterns.gateway.web.GatewayProblem;

/**
 * Load shedding: a route admits at most {@code maxInFlight} requests at once (a resilience4j bulkhead
 * with no wait). One more gets 503 with {@code Retry-After: 1} at once and is counted in
 * {@code gateway.shed}; nothing is queued. A permit is held until the response body is written.
 */
@Component
class LoadSheddingFilter implements GlobalFilter, Ordered {

    static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 100;

    private final DownstreamPolicies policies;

    LoadSheddingFilter(DownstreamPolicies policies) {
        this.policies = policies;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        DownstreamPolicies.Route route = policies.routeOf(exchange);
        if (route == null) {
            return chain.filter(exchange);
        }
        if (!route.bulkhead().tryAcquirePermission()) {
            route.shed().increment();
            return Mono.error(GatewayProblem.serviceUnavailable("Service Unavailable",
                    "route '" + route.id() + "' has " + route.policy().maxInFlight()
                            + " requests in flight, its limit; try again shortly",
                    Duration.ofSeconds(1)));
        }
        return chain.filter(exchange).doFinally(signal -> route.bulkhead().onComplete());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
