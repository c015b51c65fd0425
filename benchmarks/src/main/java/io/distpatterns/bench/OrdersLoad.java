package io.distpatterns.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop, fixed-concurrency load generator for {@code POST /orders}: {@code concurrency}
 * threads each send one request, wait for the answer and send the next, so the offered load is
 * whatever the service sustains at that concurrency (no coordinated-omission correction is needed
 * because nothing is scheduled: the figure is throughput and service latency at N in flight).
 *
 * <p>Two modes. <b>Timed</b> ({@code --duration}): a warm-up whose requests are discarded, then a
 * fixed measurement window; customers are drawn uniformly from {@code --customers}. Only requests
 * started inside the window are counted, throughput is 201s divided by the time from the window's
 * start until the last of them answered. <b>Counted</b> ({@code --requests}): exactly that many
 * orders, request {@code i} for customer {@code i mod customers} (so 100,000 requests over 10,000
 * customers give each customer 10 orders), no warm-up: used to fill the shards for the spread.
 *
 * <p>Every loop is bounded: by the window (timed), by the request count and {@code --max-seconds}
 * (counted), and every request by a 10 s timeout. Only {@code 127.0.0.1} is accepted as target.
 * Latencies are kept per thread in plain arrays and sorted at the end (nearest-rank percentiles),
 * which at these rates (well under a million samples) is exact and cheap.
 *
 * <p>Appends one tab-separated line per run to {@code --out}: label, mode, concurrency, ok, errors,
 * seconds, orders/s, p50/p90/p99/p99.9/max/mean in ms, and the error breakdown.
 */
public final class OrdersLoad {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    record Options(URI url, String label, int concurrency, int warmupSeconds, int durationSeconds, long requests,
                   int customers, int maxSeconds, Path out) {

        boolean counted() {
            return requests > 0;
        }

        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
                }
                m.put(args[i].substring(2), args[++i]);
            }
            URI url = URI.create(m.getOrDefault("url", "http://127.0.0.1:8081/orders"));
            if (!"127.0.0.1".equals(url.getHost()) || !"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("only http://127.0.0.1 targets are allowed, got " + url);
            }
            Options o = new Options(url, m.getOrDefault("label", "run"),
                    Integer.parseInt(m.getOrDefault("concurrency", "16")),
                    Integer.parseInt(m.getOrDefault("warmup", "10")),
                    Integer.parseInt(m.getOrDefault("duration", "30")),
                    Long.parseLong(m.getOrDefault("requests", "0")),
                    Integer.parseInt(m.getOrDefault("customers", "10000")),
                    Integer.parseInt(m.getOrDefault("max-seconds", "300")),
                    m.containsKey("out") ? Path.of(m.get("out")) : null);
            if (o.concurrency < 1 || o.concurrency > 512 || o.customers < 1 || o.warmupSeconds < 0
                    || o.durationSeconds < 1 || o.durationSeconds > 600 || o.maxSeconds < 1 || o.maxSeconds > 3600
                    || o.requests < 0 || o.requests > 10_000_000) {
                throw new IllegalArgumentException("option out of range: " + o);
            }
            return o;
        }
    }

    /** What one thread saw in the measured part of the run. */
    static final class Recorder {
        long[] latenciesNanos = new long[1 << 14];
        int count;
        final Map<String, Integer> errors = new HashMap<>();

        void ok(long nanos) {
            if (count == latenciesNanos.length) {
                latenciesNanos = Arrays.copyOf(latenciesNanos, count * 2);
            }
            latenciesNanos[count++] = nanos;
        }

        void error(String kind) {
            errors.merge(kind, 1, Integer::sum);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        AtomicLong sequence = new AtomicLong();

        long now = System.nanoTime();
        long measureFrom = o.counted() ? now : now + o.warmupSeconds * 1_000_000_000L;
        long stopStartingAt = o.counted() ? now + o.maxSeconds * 1_000_000_000L
                : measureFrom + o.durationSeconds * 1_000_000_000L;

        Recorder[] recorders = new Recorder[o.concurrency];
        Thread[] threads = new Thread[o.concurrency];
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < o.concurrency; t++) {
            Recorder recorder = recorders[t] = new Recorder();
            threads[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    long start = System.nanoTime();
                    if (start - stopStartingAt >= 0) {
                        break;
                    }
                    long seq = sequence.getAndIncrement();
                    if (o.counted() && seq >= o.requests) {
                        break;
                    }
                    long customer = o.counted() ? seq % o.customers : random.nextInt(o.customers);
                    HttpRequest request = HttpRequest.newBuilder(o.url)
                            .timeout(REQUEST_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", "bench-" + runId + "-" + seq)
                            .POST(HttpRequest.BodyPublishers.ofString(body("c-" + customer), StandardCharsets.UTF_8))
                            .build();
                    String error;
                    try {
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        error = response.statusCode() == 201 ? null : "HTTP " + response.statusCode();
                    } catch (IOException e) {
                        error = e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long end = System.nanoTime();
                    boolean measured = start - measureFrom >= 0;
                    if (error == null) {
                        if (measured) {
                            recorder.ok(end - start);
                        }
                    } else {
                        if (measured) {
                            recorder.error(error);
                        }
                        try {
                            Thread.sleep(10); // no busy loop against a service that refuses
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "load-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
        go.countDown();
        // Bounded wait: the window (or max-seconds), plus one request timeout, plus slack.
        long deadline = stopStartingAt + REQUEST_TIMEOUT.toNanos() + 5_000_000_000L;
        for (Thread thread : threads) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            thread.join(left);
        }
        long finished = System.nanoTime();
        boolean hung = Arrays.stream(threads).anyMatch(Thread::isAlive);

        int total = Arrays.stream(recorders).mapToInt(r -> r.count).sum();
        long[] all = new long[total];
        int at = 0;
        Map<String, Integer> errors = new TreeMap<>();
        for (Recorder r : recorders) {
            System.arraycopy(r.latenciesNanos, 0, all, at, r.count);
            at += r.count;
            r.errors.forEach((k, v) -> errors.merge(k, v, Integer::sum));
        }
        if (hung) {
            errors.merge("threads still waiting at the deadline", 1, Integer::sum);
        }
        Arrays.sort(all);
        int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
        double seconds = (finished - measureFrom) / 1e9;
        double perSecond = total / seconds;
        double mean = total == 0 ? Double.NaN : Arrays.stream(all).average().orElse(Double.NaN) / 1e6;
        String errorText = errors.isEmpty() ? "-" : errors.toString();
        String line = String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%.2f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s",
                o.label(), o.counted() ? "counted" : "timed", o.concurrency(), total, errorCount, seconds, perSecond,
                percentileMs(all, 50), percentileMs(all, 90), percentileMs(all, 99), percentileMs(all, 99.9),
                total == 0 ? Double.NaN : all[total - 1] / 1e6, mean, errorText);
        System.out.printf(Locale.ROOT, "%s: %d orders in %.1f s = %.1f orders/s at concurrency %d; "
                        + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; errors %s%n",
                o.label(), total, seconds, perSecond, o.concurrency(), percentileMs(all, 50), percentileMs(all, 90),
                percentileMs(all, 99), percentileMs(all, 99.9), total == 0 ? Double.NaN : all[total - 1] / 1e6, errorText);
        if (o.out() != null) {
            Files.writeString(o.out(), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (total == 0 || hung) {
            System.exit(1);
        }
    }

    /** Nearest-rank percentile of sorted nanosecond samples, in milliseconds. */
    static double percentileMs(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1e6;
    }

    static String body(String customerId) {
        return "{\"customerId\":\"" + customerId + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":10.25}]}";
    }

    private OrdersLoad() {
    }
}
