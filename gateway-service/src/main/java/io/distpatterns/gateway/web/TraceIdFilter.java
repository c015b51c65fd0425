package io.distpatterns.gateway.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the id of the request's trace in the {@code X-Trace-Id} response header. The trace itself is
 * started (or continued from an incoming {@code traceparent}) by the server observation that WebFlux
 * opens before any filter runs; this filter reads its span from the exchange, not from a thread local.
 */
@Component
class TraceIdFilter implements WebFilter, Ordered {

    static final String HEADER = "X-Trace-Id";
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String traceId = traceId(exchange);
        if (traceId != null) {
            exchange.getResponse().getHeaders().set(HEADER, traceId);
        }
        return chain.filter(exchange);
    }

    /** The trace id of the exchange's server span, or null when the request is not traced. */
    static String traceId(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> (TracingObservationHandler.TracingContext) context.get(TracingObservationHandler.TracingContext.class))
                .map(tracing -> tracing.getSpan())
                .map(Span::context)
                .map(context -> context.traceId())
                .orElse(null);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
