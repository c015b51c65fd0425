package io.distpatterns.systemtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.databind.JsonNode;

/**
 * The only way the test talks to the services: HTTP through the gateway with an API key. Every
 * answer is counted by route and status; a request that gets no answer (refused, reset, timed
 * out) counts as status {@code 0}.
 */
final class Gateway {

    /** An answer; {@code status} 0 when there was none, with the reason in {@code body}. */
    record Response(int status, String body, java.net.http.HttpHeaders headers) {

        JsonNode json() {
            return Json.readOrNull(body);
        }

        Optional<String> header(String name) {
            return headers == null ? Optional.empty() : headers.firstValue(name);
        }

        boolean retryable() {
            return status == 0 || status == 429 || status >= 500;
        }
    }

    private final URI base;
    private final String apiKey;
    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
    private final ConcurrentMap<String, LongAdder> statuses = new ConcurrentHashMap<>();

    Gateway(URI base, String apiKey, String adminKey) {
        this.base = base;
        this.apiKey = apiKey;
        this.adminKey = adminKey;
    }

    Response get(String route, String path) {
        return send(route, "GET", path, null, Map.of(), false);
    }

    Response post(String route, String path, Object body, Map<String, String> headers) {
        return send(route, "POST", path, body, headers, false);
    }

    Response put(String route, String path, Object body) {
        return send(route, "PUT", path, body, Map.of(), false);
    }

    Response admin(String method, String path, Object body) {
        return send("admin", method, path, body, Map.of("X-Admin-Actor", "system-test"), true);
    }

    /** Answers counted per "route status", e.g. {@code "POST /api/orders 201" -> 1234}. */
    Map<String, Long> statusCounts() {
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    private Response send(String route, String method, String path, Object body, Map<String, String> headers, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
                .header("X-API-Key", admin ? adminKey : apiKey);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        Response response;
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            response = new Response(r.statusCode(), r.body(), r.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = new Response(0, "interrupted", null);
        } catch (Exception e) {
            response = new Response(0, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
        statuses.computeIfAbsent(method + " " + route + " " + response.status(), k -> new LongAdder()).increment();
        return response;
    }
}
