package io.distpatterns.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Open-loop load generator (wrk2-style): requests are issued on a fixed schedule whatever the answers,
 * and each latency is measured from the request's scheduled time, so a stalled server cannot hide its
 * queue (no coordinated omission). Compares the same stub service called directly and through the gateway.
 *
 * <pre>GatewayBenchmark &lt;directUrl&gt; &lt;gatewayUrl&gt; &lt;apiKey&gt; &lt;resultFile&gt;</pre>
 *
 * 1. latency at a fixed moderate rate, direct then through the gateway: p50/p99, and the difference;
 * 2. maximum sustainable rate of each: rates are stepped up until the achieved rate falls below 95% of
 *    the offered one, errors pass 1%, or p99 passes 100 ms; the last rate that held is the maximum.
 */
public final class GatewayBenchmark {

    private static final int MAX_OUTSTANDING = 4096;

    private GatewayBenchmark() {
    }

    record Step(int offeredRps, double achievedRps, long ok, long errors, long dropped,
                double p50Ms, double p90Ms, double p99Ms, double maxMs) {

        boolean held() {
            long total = ok + errors + dropped;
            return achievedRps >= offeredRps * 0.95 && (errors + dropped) <= total * 0.01 && p99Ms <= 100;
        }

        String line(String target) {
            return String.format(Locale.ROOT, "%-8s offered %6d rps  achieved %8.1f rps  ok %7d  errors %5d  dropped %5d"
                            + "  p50 %7.3f ms  p90 %7.3f ms  p99 %8.3f ms  max %8.3f ms  %s",
                    target, offeredRps, achievedRps, ok, errors, dropped, p50Ms, p90Ms, p99Ms, maxMs,
                    held() ? "held" : "NOT held");
        }
    }

    public static void main(String[] args) throws Exception {
        String direct = args[0];
        String gateway = args[1];
        String apiKey = args[2];
        Path resultFile = Path.of(args[3]);
        int latencyRate = Integer.getInteger("bench.latencyRate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int stepSeconds = Integer.getInteger("bench.stepSeconds", 5);
        int connections = Integer.getInteger("bench.connections", 128);

        ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(connections)
                .pendingAcquireMaxCount(MAX_OUTSTANDING * 2).build();
        HttpClient client = HttpClient.create(pool).headers(h -> h.set("X-API-Key", apiKey));
        List<String> out = new ArrayList<>();
        out.add("# gateway benchmark " + Instant.now() + "  (Java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, open loop, " + connections + " connections)");
        out.add("# direct  = " + direct);
        out.add("# gateway = " + gateway);

        // Warm-up: JIT both paths.
        run(client, direct, 500, 10);
        run(client, gateway, 500, 10);

        out.add("");
        out.add("## latency at " + latencyRate + " rps for " + seconds + " s");
        Step d = run(client, direct, latencyRate, seconds);
        Step g = run(client, gateway, latencyRate, seconds);
        out.add(d.line("direct"));
        out.add(g.line("gateway"));
        out.add(String.format(Locale.ROOT, "gateway-added latency: p50 %+.3f ms, p99 %+.3f ms",
                g.p50Ms() - d.p50Ms(), g.p99Ms() - d.p99Ms()));
        print(out);

        out.add("");
        out.add("## maximum sustainable rate (" + stepSeconds + " s steps)");
        int maxDirect = ramp(client, direct, "direct", stepSeconds, out);
        int maxGateway = ramp(client, gateway, "gateway", stepSeconds, out);
        out.add(String.format(Locale.ROOT, "max rps: direct %d, gateway %d, ratio %.0f%%", maxDirect, maxGateway,
                100.0 * maxGateway / maxDirect));
        print(out);
        Files.createDirectories(resultFile.toAbsolutePath().getParent());
        Files.write(resultFile, out);
        pool.dispose();
    }

    private static int ramp(HttpClient client, String url, String target, int stepSeconds, List<String> out) {
        int best = 0;
        int rate = Integer.getInteger("bench.rampStart", 250);
        while (rate <= Integer.getInteger("bench.rampMax", 40_000)) {
            Step step = run(client, url, rate, stepSeconds);
            out.add(step.line(target));
            System.out.println(step.line(target));
            if (!step.held()) {
                break;
            }
            best = rate;
            rate += rate < 2000 ? 250 : rate < 5000 ? 500 : 1000;
            pause();
        }
        return best;
    }

    static Step run(HttpClient client, String url, int rps, int seconds) {
        Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicInteger outstanding = new AtomicInteger();
        long total = (long) rps * seconds;
        CountDownLatch done = new CountDownLatch((int) total);
        long interval = 1_000_000_000L / rps;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 50_000));
            }
            if (outstanding.incrementAndGet() > MAX_OUTSTANDING) {
                outstanding.decrementAndGet();
                dropped.incrementAndGet();
                done.countDown();
                continue;
            }
            client.get().uri(url).responseSingle((response, body) -> body.asByteArray()
                            .defaultIfEmpty(new byte[0])
                            .map(b -> response.status().code()))
                    .subscribe(status -> {
                        recorder.recordValue(Math.max(1, System.nanoTime() - due));
                        (status == 200 ? ok : errors).incrementAndGet();
                    }, error -> {
                        errors.incrementAndGet();
                        outstanding.decrementAndGet();
                        done.countDown();
                    }, () -> {
                        outstanding.decrementAndGet();
                        done.countDown();
                    });
        }
        try {
            done.await(seconds + 30L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        return new Step(rps, ok.get() / elapsed, ok.get(), errors.get(), dropped.get(),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void pause() {
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
    }

    private static void print(List<String> lines) {
        lines.forEach(System.out::println);
    }
}
