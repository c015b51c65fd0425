package io.distpatterns.order.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.ShardMapDocument;
import io.distpatterns.platform.sharding.ShardState;

/**
 * The two endpoints of shard-router an online move uses, over real HTTP: {@code GET /shards/map}
 * (ETag = version, 304 when unchanged) and {@code PUT /shards/{id}/ring} (exact tokens and state,
 * 409 on a stale {@code expectedVersion}). shard-router's own ShardMapApiIT tests the real ones;
 * this stand-in lets order-service instances poll a map that a move changes, as in production.
 */
final class StandInShardRouter implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpServer server;
    private ShardMap map;

    StandInShardRouter(ShardMap initial) throws IOException {
        this.map = initial;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/shards", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What shard-router's {@code POST /shards} with {@code "online": true} does: the shard JOINING, tokens placed, off the ring. */
    synchronized void addOnline(String id) {
        var planned = io.distpatterns.platform.sharding.StepwiseMove.adding(map, new Shard(id, id, Shard.STANDARD_WEIGHT, ShardState.ACTIVE));
        List<Shard> shards = new ArrayList<>(map.shards());
        shards.add(new Shard(id, id, Shard.STANDARD_WEIGHT, ShardState.JOINING));
        Map<String, long[]> tokens = new HashMap<>(map.tokens());
        tokens.put(id, planned.tokens());
        map = new ShardMap(map.version() + 1, map.vnodesPerShard(), shards, map.pinned(), tokens);
    }

    synchronized ShardMap map() {
        return map;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/shards/map")) {
                ShardMap current = map();
                String etag = "\"" + current.version() + "\"";
                exchange.getResponseHeaders().add("ETag", etag);
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
                send(exchange, 200, JSON.writeValueAsString(ShardMapDocument.of(current)));
            } else if ("PUT".equals(exchange.getRequestMethod()) && path.endsWith("/ring")) {
                String id = path.substring("/shards/".length(), path.length() - "/ring".length());
                JsonNode body = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                synchronized (this) {
                    if (body.get("expectedVersion").asLong() != map.version()) {
                        send(exchange, 409, "{\"title\":\"Stale shard map version\"}");
                        return;
                    }
                    List<Shard> shards = new ArrayList<>(map.shards());
                    shards.removeIf(s -> s.id().equals(id));
                    shards.add(new Shard(id, body.get("location").asString(), body.get("weight").asInt(),
                            ShardState.valueOf(body.get("state").asString())));
                    Map<String, long[]> tokens = new HashMap<>(map.tokens());
                    long[] own = new long[body.get("tokens").size()];
                    for (int i = 0; i < own.length; i++) {
                        own[i] = Long.parseLong(body.get("tokens").get(i).asString());
                    }
                    tokens.put(id, own);
                    map = new ShardMap(map.version() + 1, map.vnodesPerShard(), shards, map.pinned(), tokens);
                    send(exchange, 200, "{\"version\":" + map.version() + "}");
                }
            } else {
                send(exchange, 404, "{}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
