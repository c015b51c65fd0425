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
 * queue (no coordinated omission). Compares the same stub service called directly and through each named path (the gateway, and
 * optionally the bare framework variants) in one run.
 *
 * <pre>GatewayBenchmark &lt;directUrl&gt; &lt;apiKey&gt; &lt;resultFile&gt; &lt;name&gt;=&lt;url&gt;[@pid] ...</pre>
 *
 * 0. warm-up: {@code bench.warmupSeconds} (default 60) at the latency rate on each path. The gateway's
 *    JIT needs about 20,000 requests on a loaded 2-core machine before its per-request cost settles
 *    (C2 alone used ~0.9 ms of CPU per request before that); ten seconds measured a half-compiled gateway;
 * 1. latency at a fixed moderate rate, direct then through the gateway: p50/p99, and the difference,
 *    with the CPU time each server process spent per request when their pids are given
 *    ({@code -Dbench.stubPid} and each path's {@code @pid}, Linux /proc): a figure the machine's other
 *    load hardly changes, unlike latency and maximum rate;
 * 2. maximum sustainable rate of each: rates are stepped up until the achieved rate falls below 95% of
 *    the offered one, errors pass 1%, or p99 passes 100 ms; the last rate that held is the maximum.
 *
 * The load average is written with each section: on a shared machine, compare only figures of one run.
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

    /** A path to measure: a name, its URL and the pid of the server process in front of the stub (-1: none). */
    record Target(String name, String url, long pid) {

        /** {@code name=url} or {@code name=url@pid}. */
        static Target parse(String spec) {
            int eq = spec.indexOf('=');
            int at = spec.lastIndexOf('@');
            return at > eq ? new Target(spec.substring(0, eq), spec.substring(eq + 1, at), Long.parseLong(spec.substring(at + 1)))
                    : new Target(spec.substring(0, eq), spec.substring(eq + 1), -1);
        }
    }

    /**
     * {@code GatewayBenchmark <directUrl> <apiKey> <resultFile> <name>=<url>[@pid] ...}: the stub called
     * directly (its pid in {@code -Dbench.stubPid}), then each named path in front of it, in one run.
     */
    public static void main(String[] args) throws Exception {
        String direct = args[0];
        String apiKey = args[1];
        Path resultFile = Path.of(args[2]);
        List<Target> targets = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            targets.add(Target.parse(args[i]));
        }
        int latencyRate = Integer.getInteger("bench.latencyRate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int stepSeconds = Integer.getInteger("bench.stepSeconds", 5);
        int connections = Integer.getInteger("bench.connections", 128);
        long stubPid = Long.getLong("bench.stubPid", -1);

        ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(connections)
                .pendingAcquireMaxCount(MAX_OUTSTANDING * 2).build();
        HttpClient client = HttpClient.create(pool).headers(h -> h.set("X-API-Key", apiKey));
        List<String> out = new ArrayList<>();
        out.add("# gateway benchmark " + Instant.now() + "  (Java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, open loop, " + connections + " connections)");
        out.add("# direct = " + direct);
        targets.forEach(t -> out.add("# " + t.name() + " = " + t.url()));

        // Warm-up: JIT every path until its per-request cost has settled.
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", 60);
        out.add("# warm-up " + warmupSeconds + " s at " + latencyRate + " rps on each path; " + loadAverage());
        run(client, direct, latencyRate, warmupSeconds);
        for (Target t : targets) {
            run(client, t.url(), latencyRate, warmupSeconds);
        }

        out.add("");
        out.add("## latency at " + latencyRate + " rps for " + seconds + " s  (" + loadAverage() + ")");
        long stubCpu0 = cpuNanos(stubPid);
        Step d = run(client, direct, latencyRate, seconds);
        double stubPerRequest = (cpuNanos(stubPid) - stubCpu0) / 1e3 / Math.max(1, d.ok());
        out.add(d.line("direct"));
        for (Target t : targets) {
            long stub0 = cpuNanos(stubPid);
            long proxy0 = cpuNanos(t.pid());
            Step g = run(client, t.url(), latencyRate, seconds);
            double proxyPerRequest = (cpuNanos(t.pid()) - proxy0) / 1e3 / Math.max(1, g.ok());
            double stubBehind = (cpuNanos(stubPid) - stub0) / 1e3 / Math.max(1, g.ok());
            out.add(g.line(t.name()));
            out.add(String.format(Locale.ROOT, "  %s added latency: p50 %+.3f ms, p99 %+.3f ms", t.name(),
                    g.p50Ms() - d.p50Ms(), g.p99Ms() - d.p99Ms()));
            if (stubPid > 0 && t.pid() > 0) {
                out.add(String.format(Locale.ROOT, "  CPU per request (all threads of the process): stub %.0f us direct,"
                                + " %.0f us behind %s; %s %.0f us (%.1fx the stub)", stubPerRequest, stubBehind, t.name(),
                        t.name(), proxyPerRequest, proxyPerRequest / stubPerRequest));
            }
        }
        print(out);

        out.add("");
        out.add("## maximum sustainable rate (" + stepSeconds + " s steps)  (" + loadAverage() + ")");
        int maxDirect = ramp(client, direct, "direct", stepSeconds, out);
        List<String> ratios = new ArrayList<>();
        for (Target t : targets) {
            int max = ramp(client, t.url(), t.name(), stepSeconds, out);
            ratios.add(String.format(Locale.ROOT, "%s %d (%.0f%%)", t.name(), max, 100.0 * max / maxDirect));
        }
        out.add("max rps: direct " + maxDirect + ", " + String.join(", ", ratios) + " of direct");
        out.add("# end: " + loadAverage());
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

    /** User + system CPU time of a process from /proc (Linux), or -1 when unknown. */
    static long cpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 10_000_000L; // USER_HZ = 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String loadAverage() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + avg[0] + " " + avg[1] + " " + avg[2] + " on "
                    + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
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
