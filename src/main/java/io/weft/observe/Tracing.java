package io.weft.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.Map;

/**
 * W3C trace context across the outbox: a message remembers the trace it was received in (its envelope's
 * {@code traceparent}), and each delivery attempt, though it runs later on another thread or instance,
 * continues that trace, so one trace shows the inbound request, the routing and every delivery.
 */
public final class Tracing {
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private Tracing() {
    }

    /** The current span as a W3C traceparent, or null when nothing is being traced. */
    public static String currentTraceparent() {
        return traceparent(Span.current().getSpanContext());
    }

    public static String traceparent(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** Starts the span of one delivery attempt as a child of the message's trace (or a new trace). */
    public static Span startDelivery(Tracer tracer, String traceparent, String destination, String messageId) {
        Context parent = traceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceparent), MAP);
        return tracer.spanBuilder("deliver to " + destination).setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("weft.destination", destination).setAttribute("weft.message.id", messageId)
                .startSpan();
    }
}
