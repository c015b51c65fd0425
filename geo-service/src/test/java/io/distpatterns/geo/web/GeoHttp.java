package io.distpatterns.geo.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.distpatterns.platform.test.TestHttp;

/** A tiny HTTP client for the geo API and the JSON fixtures it sends. */
public final class GeoHttp {

    private final String base;

    public GeoHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public static String location(double lat, double lon, String status, Instant recordedAt) {
        return String.format(Locale.ROOT, "{\"lat\":%s,\"lon\":%s,\"status\":\"%s\",\"recordedAt\":\"%s\"}",
                lat, lon, status, recordedAt);
    }

    public static String entry(String driverId, double lat, double lon, String status, Instant recordedAt) {
        return String.format(Locale.ROOT, "{\"driverId\":\"%s\",\"lat\":%s,\"lon\":%s,\"status\":\"%s\",\"recordedAt\":\"%s\"}",
                driverId, lat, lon, status, recordedAt);
    }

    public static String batch(List<String> entries) {
        return entries.stream().collect(Collectors.joining(",", "{\"locations\":[", "]}"));
    }

    public HttpResponse<String> put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }
}
