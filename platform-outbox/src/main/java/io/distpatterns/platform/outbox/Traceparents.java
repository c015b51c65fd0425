package io.distpatterns.platform.outbox;

import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/** W3C {@code traceparent} values of the current span, for the outbox. */
public final class Traceparents {

    private Traceparents() {
    }

    /** {@code 00-<traceId>-<spanId>-<flags>} of {@code tracer}'s current span, or null without one. */
    public static Supplier<String> of(Tracer tracer) {
        return () -> {
            Span span = tracer.currentSpan();
            if (span == null) {
                return null;
            }
            var context = span.context();
            Boolean sampled = context.sampled();
            return "00-" + context.traceId() + "-" + context.spanId() + "-" + (Boolean.TRUE.equals(sampled) ? "01" : "00");
        };
    }

    /** No tracing: events carry no traceparent. */
    public static Supplier<String> none() {
        return () -> null;
    }
}
