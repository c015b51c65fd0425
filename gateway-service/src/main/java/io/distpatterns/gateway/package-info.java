/**
 * gateway-service: the platform's only public door. Routes {@code /api/<resource>/**} to the
 * service that owns the resource (dropping the {@code /api} prefix), starts the trace of every
 * request and propagates it downstream as a W3C {@code traceparent} header. Built on Spring Cloud
 * Gateway (WebFlux); service URLs come from {@code ORDER_SERVICE_URL}, {@code INVENTORY_SERVICE_URL},
 * {@code GEO_SERVICE_URL} and {@code SHARD_ROUTER_URL}.
 */
package io.distpatterns.gateway;
