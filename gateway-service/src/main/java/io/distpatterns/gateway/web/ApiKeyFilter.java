package io.distpatterns.gateway.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.distpatterns.gateway.config.GatewayProperties;
import io.distpatterns.gateway.config.GatewayProperties.Role;

/**
 * API keys on {@code /api/**}. Headers only the gateway may set are removed from every request first;
 * then a request without a known {@code X-API-Key} gets 401, one to an admin path without an admin key
 * 403, and so does a write (any method but GET, HEAD, OPTIONS) to an admin-write path (the shard map). An accepted request goes on without its key and with the client id in {@code X-Client-Id}.
 * Actuator endpoints and the gateway's own OpenAPI document need no key (the launcher's probes use them).
 */
@Component
class ApiKeyFilter implements WebFilter, Ordered {

    static final int ORDER = RequestLimitsFilter.ORDER + 10;
    private static final PathPattern API = PathPatternParser.defaultInstance.parse("/api/**");

    private final GatewayProperties.Security security;
    private final Map<String, AuthenticatedClient> clientsByKey = new HashMap<>();
    private final List<PathPattern> publicPaths;
    private final List<PathPattern> adminPaths;
    private final List<PathPattern> adminWritePaths;

    ApiKeyFilter(GatewayProperties properties) {
        this.security = properties.security();
        security.apiKeys().forEach((clientId, apiKey) -> {
            if (!properties.rateLimit().plans().containsKey(apiKey.plan())) {
                throw new IllegalStateException("API key of client '" + clientId + "' names unknown plan '"
                        + apiKey.plan() + "'; plans: " + properties.rateLimit().plans().keySet());
            }
            if (clientsByKey.put(apiKey.key(), new AuthenticatedClient(clientId, apiKey.plan(), apiKey.role())) != null) {
                throw new IllegalStateException("two clients share one API key (client '" + clientId + "')");
            }
        });
        this.publicPaths = security.publicPaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.adminPaths = security.adminPaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.adminWritePaths = security.adminWritePaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (!API.matches(path) || matchesAny(publicPaths, path)) {
            return chain.filter(forward(exchange, null));
        }
        String key = exchange.getRequest().getHeaders().getFirst(security.apiKeyHeader());
        if (key == null || key.isBlank()) {
            return Mono.error(new GatewayProblem(HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "send your API key in the " + security.apiKeyHeader() + " header",
                    Map.of("WWW-Authenticate", "ApiKey header=\"" + security.apiKeyHeader() + "\"")));
        }
        AuthenticatedClient client = clientsByKey.get(key);
        if (client == null) {
            return Mono.error(new GatewayProblem(HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "the API key is not known",
                    Map.of("WWW-Authenticate", "ApiKey header=\"" + security.apiKeyHeader() + "\"")));
        }
        if (client.role() != Role.ADMIN && matchesAny(adminPaths, path)) {
            return Mono.error(new GatewayProblem(HttpStatus.FORBIDDEN, "Forbidden",
                    "admin routes need an admin key; client '" + client.clientId() + "' is not an admin"));
        }
        if (client.role() != Role.ADMIN && isWrite(exchange.getRequest().getMethod()) && matchesAny(adminWritePaths, path)) {
            return Mono.error(new GatewayProblem(HttpStatus.FORBIDDEN, "Forbidden",
                    exchange.getRequest().getMethod() + " " + path.value() + " changes the shard map and needs an admin key; client '"
                            + client.clientId() + "' is not an admin"));
        }
        exchange.getAttributes().put(AuthenticatedClient.ATTRIBUTE, client);
        return chain.filter(forward(exchange, client));
    }

    /**
     * The request as forwarded, in one copy of its headers: without the headers only the gateway may set
     * and, for an authenticated client, without its key and with its id.
     */
    private ServerWebExchange forward(ServerWebExchange exchange, AuthenticatedClient client) {
        return exchange.mutate()
                .request(request -> request.headers(headers -> {
                    security.internalHeaders().forEach(headers::remove);
                    if (client != null) {
                        headers.remove(security.apiKeyHeader());
                        headers.set(security.clientIdHeader(), client.clientId());
                    }
                }))
                .build();
    }

    private static boolean isWrite(HttpMethod method) {
        return !HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method) && !HttpMethod.OPTIONS.equals(method);
    }

    private static boolean matchesAny(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
