package io.weft.observe;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Collection;
import java.util.Optional;

/**
 * Weft always traces (trace ids are journaled and sent on as {@code traceparent}), but exports spans only
 * when {@code weft.tracing.otlp-endpoint} names a collector (OTLP over HTTP, e.g.
 * {@code http://otel-collector:4318/v1/traces}). Without one, spans are dropped quietly instead of
 * logging export errors all night. Quarkus' built-in OTLP exporter is switched off at build time because
 * its endpoint cannot be left unset.
 */
@ApplicationScoped
public class OptionalOtlpSpanExporter implements SpanExporter {

    private final SpanExporter delegate;

    public OptionalOtlpSpanExporter(@ConfigProperty(name = "weft.tracing.otlp-endpoint") Optional<String> endpoint) {
        this.delegate = endpoint.filter(e -> !e.isBlank())
                .<SpanExporter>map(e -> OtlpHttpSpanExporter.builder().setEndpoint(e).build())
                .orElse(null);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return delegate == null ? CompletableResultCode.ofSuccess() : delegate.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
        return delegate == null ? CompletableResultCode.ofSuccess() : delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate == null ? CompletableResultCode.ofSuccess() : delegate.shutdown();
    }
}
