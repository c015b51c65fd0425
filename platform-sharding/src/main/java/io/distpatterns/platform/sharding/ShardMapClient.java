package io.distpatterns.platform.sharding;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local copy of the shard map, kept fresh from shard-router, for routing without a network hop.
 *
 * <p>States: empty (no map yet; {@link #route} throws {@link ShardMapUnavailableException}) →
 * loaded. It polls {@code GET <base>/shards/map} every {@code pollInterval} with
 * {@code If-None-Match: "<version>"}: a 304 costs nothing, a 200 with a higher version replaces the
 * map atomically. When shard-router is down or answers garbage the client keeps routing with its
 * last good map and counts the failure; it never goes back to an older version.
 */
public final class ShardMapClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardMapClient.class);

    private final URI mapUri;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Duration pollInterval;
    private final ScheduledExecutorService poller;
    private final AtomicLong refreshFailures = new AtomicLong();
    private volatile ShardMap current;
    private volatile Instant lastSuccess;

    public ShardMapClient(URI routerBaseUrl, Duration pollInterval) {
        this.mapUri = URI.create(routerBaseUrl.toString().replaceAll("/+$", "") + "/shards/map");
        this.pollInterval = pollInterval;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shard-map-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the map once now (failure is tolerated) and starts polling. */
    public ShardMapClient start() {
        refresh();
        poller.scheduleWithFixedDelay(this::refresh, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Where {@code key} lives, by the current local map. */
    public ShardMap.Route route(Object key) {
        ShardMap map = current;
        if (map == null) {
            throw new ShardMapUnavailableException("no shard map loaded yet from " + mapUri
                    + " (" + refreshFailures.get() + " failed attempts): cannot route");
        }
        return map.route(key);
    }

    public Optional<ShardMap> current() {
        return Optional.ofNullable(current);
    }

    /** The version routed with, or -1 before the first load. */
    public long version() {
        ShardMap map = current;
        return map == null ? -1 : map.version();
    }

    public long refreshFailures() {
        return refreshFailures.get();
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** Fetches the map if it changed; returns whether a newer version was installed. */
    public boolean refresh() {
        ShardMap known = current;
        HttpRequest.Builder request = HttpRequest.newBuilder(mapUri).timeout(Duration.ofSeconds(3)).GET();
        if (known != null) {
            request.header("If-None-Match", "\"" + known.version() + "\"");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 304) {
                lastSuccess = Instant.now();
                return false;
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + mapUri);
            }
            ShardMap fetched = json.readValue(response.body(), ShardMapDocument.class).toMap();
            lastSuccess = Instant.now();
            if (known == null || fetched.version() > known.version()) {
                current = fetched;
                log.info("Shard map version {} loaded ({} shards, {} pinned keys)",
                        fetched.version(), fetched.shards().size(), fetched.pinned().size());
                return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            long failures = refreshFailures.incrementAndGet();
            if (failures == 1 || failures % 60 == 0) {
                log.warn("Cannot refresh the shard map from {} ({} failures so far); routing with version {}: {}",
                        mapUri, failures, version(), e.toString());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
