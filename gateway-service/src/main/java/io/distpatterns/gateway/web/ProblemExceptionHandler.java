package io.distpatterns.gateway.web;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The one place where a failed request becomes an RFC 9457 {@code application/problem+json} response:
 * the gateway's own refusals ({@link GatewayProblem}), and what goes wrong on the way to a service
 * (timeout 504, unreachable 502, breaker open 503, no route 404). Runs before Boot's default handler.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);
    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        GatewayProblem problem = toProblem(error);
        if (problem.status().is5xxServerError()) {
            log.warn("{} {} -> {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    problem.status().value(), problem.title(), problem.detail());
        }
        response.setStatusCode(problem.status());
        response.getHeaders().setContentType(PROBLEM_JSON);
        problem.headers().forEach((name, value) -> response.getHeaders().set(name, value));
        HttpHeaders requestHeaders = exchange.getRequest().getHeaders();
        if (requestHeaders.getContentLength() > 0 || requestHeaders.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            // The refused body may be unread: close instead of leaving it to corrupt the next request on this connection.
            response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        String traceId = TraceIdFilter.traceId(exchange);
        byte[] body = json(problem, exchange.getRequest().getPath().value(), traceId).getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    static GatewayProblem toProblem(Throwable error) {
        if (error instanceof GatewayProblem problem) {
            return problem;
        }
        if (error instanceof CallNotPermittedException open) {
            return new GatewayProblem(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                    "circuit breaker '" + open.getCausingCircuitBreakerName() + "' is open");
        }
        if (error instanceof TimeoutException) {
            return new GatewayProblem(HttpStatus.GATEWAY_TIMEOUT, "Gateway Timeout",
                    "the service did not answer in time");
        }
        if (causedBy(error, ConnectException.class)) {
            return new GatewayProblem(HttpStatus.BAD_GATEWAY, "Bad Gateway", "the service cannot be reached");
        }
        if (error instanceof ResponseStatusException status) {
            HttpStatusCode code = status.getStatusCode();
            HttpStatus known = HttpStatus.resolve(code.value());
            String title = known != null ? known.getReasonPhrase() : "Error";
            String detail = status.getReason() != null ? status.getReason()
                    : code.value() == 404 ? "no route for this path" : title;
            return new GatewayProblem(known != null ? known : HttpStatus.INTERNAL_SERVER_ERROR, title, detail);
        }
        log.error("unexpected error", error);
        return new GatewayProblem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
                "the gateway failed to handle the request");
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String json(GatewayProblem problem, String instance, String traceId) {
        StringBuilder out = new StringBuilder(256).append('{');
        field(out, "type", "about:blank").append(',');
        field(out, "title", problem.title()).append(',');
        out.append("\"status\":").append(problem.status().value()).append(',');
        field(out, "detail", problem.detail()).append(',');
        field(out, "instance", instance);
        if (traceId != null) {
            out.append(',');
            field(out, "traceId", traceId);
        }
        return out.append('}').toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
