package io.distpatterns.platform.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a free loopback port that answers every request with a fixed status and
 * body and records what it received: method, path, headers and body (gunzipped when the request
 * says {@code Content-Encoding: gzip}). Tests use it as the far end
 * of a real HTTP hop (a downstream service behind the gateway, a trace collector).
 */
public final class RecordingHttpServer implements AutoCloseable {

    /** One request as received. Header names are lower case. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private RecordingHttpServer(int status, String contentType, String responseBody) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            byte[] body = (gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()).readAllBytes();
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(headers), new String(body, StandardCharsets.UTF_8)));
            byte[] out = responseBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
    }

    /** Starts a server that answers every request with {@code status} and a JSON {@code body}. */
    public static RecordingHttpServer answering(int status, String jsonBody) {
        return new RecordingHttpServer(status, "application/json", jsonBody);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits up to {@code timeout} for a request matching {@code condition}. */
    public Optional<Received> await(Predicate<Received> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<Received> match = received.stream().filter(condition).findFirst();
            if (match.isPresent()) {
                return match;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
