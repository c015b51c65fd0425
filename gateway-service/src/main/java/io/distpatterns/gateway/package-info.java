/**
 * gateway-service: the platform's only public door, on Spring Cloud Gateway (WebFlux). Routes
 * {@code /api/<resource>/**} to the service that owns the resource. On the way, in this order:
 * {@code web} caps headers and body (431, 413), checks the {@code X-API-Key} (401, 403 on admin routes)
 * and strips the headers only the gateway may set, and takes a token from the client's bucket
 * ({@code ratelimit}: local Bucket4j or one Redis Lua call, 429 with Retry-After and RateLimit-*);
 * {@code resilience} sheds requests beyond the route's in-flight limit (503), and calls the service
 * under the route's timeout (504), the service's circuit breaker (503 while open) and, for idempotent
 * requests, budgeted jittered retries. Every refusal is RFC 9457 problem+json. The gateway starts or
 * continues the W3C trace, propagates it as {@code traceparent} and returns its id in {@code X-Trace-Id}.
 * Settings: {@link io.distpatterns.gateway.config.GatewayProperties}.
 */
package io.distpatterns.gateway;
