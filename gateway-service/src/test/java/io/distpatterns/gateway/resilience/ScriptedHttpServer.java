package io.distpatterns.gateway.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP downstream whose behaviour a test changes while it runs: the status it answers, how long
 * it waits first, a number of failures before it succeeds, and a gate that holds requests until opened.
 * Requests are served concurrently, so held requests really are in flight.
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** One request as received: method, path, body. */
    record Received(String method, String path, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int status = 200;
    private volatile long delayMillis;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile String retryAfter;

    ScriptedHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            inFlight.incrementAndGet();
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
                gate.await(30, TimeUnit.SECONDS);
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                int answer = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failureStatus : status;
                byte[] out = ("{\"status\":" + answer + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (retryAfter != null && answer == 503) {
                    exchange.getResponseHeaders().set("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(answer, out.length);
                exchange.getResponseBody().write(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // the gateway gave up on this request (timeout): nothing to answer
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    ScriptedHttpServer answer(int status, long delayMillis) {
        this.status = status;
        this.delayMillis = delayMillis;
        return this;
    }

    /** Every 503 it answers carries {@code Retry-After: seconds} ({@code null}: none). */
    ScriptedHttpServer retryAfter(String seconds) {
        this.retryAfter = seconds;
        return this;
    }

    ScriptedHttpServer failFirst(int count, int status) {
        this.failureStatus = status;
        this.failuresLeft.set(count);
        return this;
    }

    /** Holds every request until the returned latch is counted down. */
    CountDownLatch hold() {
        CountDownLatch latch = new CountDownLatch(1);
        gate = latch;
        return latch;
    }

    int inFlight() {
        return inFlight.get();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    long count(String path) {
        return received.stream().filter(r -> r.path().equals(path)).count();
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
