/**
 * The runtime every platform service shares, as a mechanism and nothing more.
 *
 * <p>Adding this module to a service gives it actuator liveness and readiness probes,
 * {@code /actuator/prometheus}, Micrometer tracing through the OpenTelemetry bridge exported in
 * Zipkin format to {@code PLATFORM_ZIPKIN_ENDPOINT} (default {@code http://127.0.0.1:9411/api/v2/spans}),
 * and log lines that carry {@code [service,traceId,spanId]}. The defaults live in
 * {@code platform-defaults.properties} and are the lowest-precedence property source, so a
 * service's own {@code application.yml} or the environment overrides any of them.
 */
package io.distpatterns.platform.runtime;
