package io.weft.observe;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.eclipse.microprofile.config.Config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Camel's OpenTelemetry tracer (camel-quarkus-opentelemetry2), configured exactly as the extension's own
 * producer does ({@code quarkus.camel.opentelemetry2.exclude-patterns}, {@code ...trace-processors}, off when
 * {@code quarkus.otel.sdk.disabled}), except that whether an endpoint is excluded is worked out once per
 * endpoint URI and remembered. Camel asks on every exchange event and route start and end, and its answer
 * normalises the URI and compiles each pattern as a regular expression every time: with a few patterns,
 * more CPU per message than the spans they save. The extension's producer is a default bean, so this one
 * replaces it.
 */
@Singleton
public class CamelTracer {

    /** Endpoint URIs come from route files; a bound keeps a route with dynamic URIs from growing the cache. */
    private static final int MAX_CACHED = 10_000;

    static final class CachingTracer extends OpenTelemetryTracer {
        private final Map<String, Boolean> excluded = new ConcurrentHashMap<>();

        @Override
        public boolean exclude(String endpointUri, CamelContext context) {
            if (endpointUri == null || getExcludePatterns() == null) {
                return false;
            }
            Boolean known = excluded.get(endpointUri);
            if (known != null) {
                return known;
            }
            boolean answer = super.exclude(endpointUri, context);
            if (excluded.size() < MAX_CACHED) {
                excluded.put(endpointUri, answer);
            }
            return answer;
        }
    }

    @Produces
    @Singleton
    @Unremovable
    OpenTelemetryTracer camelOpenTelemetryTracer(CamelContext camel, Config config) {
        CachingTracer tracer = new CachingTracer();
        if (config.getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class).orElse(false)) {
            return tracer; // not registered with Camel: no Camel spans, as with the extension's own producer
        }
        config.getOptionalValue("quarkus.camel.opentelemetry2.exclude-patterns", String.class)
                .filter(p -> !p.isBlank()).ifPresent(tracer::setExcludePatterns);
        if (config.getOptionalValue("quarkus.camel.opentelemetry2.trace-processors", Boolean.class).orElse(false)) {
            tracer.setTraceProcessors(true);
        }
        tracer.init(camel);
        return tracer;
    }
}
