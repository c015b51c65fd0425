package io.distpatterns.gateway.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A request the gateway refuses or cannot complete, as a value: status, title, detail and the headers
 * the client needs to act (Retry-After, RateLimit-*). {@link ProblemExceptionHandler} writes it once, as
 * RFC 9457 {@code application/problem+json}.
 */
public final class GatewayProblem extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, String> headers;

    public GatewayProblem(HttpStatus status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public GatewayProblem(HttpStatus status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public static GatewayProblem serviceUnavailable(String title, String detail, Duration retryAfter) {
        return new GatewayProblem(HttpStatus.SERVICE_UNAVAILABLE, title, detail,
                Map.of("Retry-After", Long.toString(retryAfterSeconds(retryAfter))));
    }

    public static GatewayProblem tooManyRequests(String detail, Duration retryAfter, Map<String, String> rateLimitHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(rateLimitHeaders);
        headers.put("Retry-After", Long.toString(retryAfterSeconds(retryAfter)));
        return new GatewayProblem(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", detail, headers);
    }

    /** Whole seconds, rounded up, at least 1: Retry-After has no fractions and 0 invites a hot loop. */
    public static long retryAfterSeconds(Duration wait) {
        long millis = Math.max(wait.toMillis(), 1);
        return Math.max(1, (millis + 999) / 1000);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
