package io.weft.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Weft's own Prometheus metrics, all prefixed {@code weft_}. Labels are bounded: system and destination
 * names come from the route files, types from the schemas, outcomes and reasons from fixed lists; never ids.
 */
@ApplicationScoped
public class WeftMetrics {

    /** Why an inbound message was refused. */
    public enum Rejection { MALFORMED, MEDIA_TYPE, TOO_LARGE, MAPPING, SCHEMA, ROUTING, STORE, OTHER }

    /** What an attempt led to. */
    public enum Outcome { DELIVERED, RETRY, DEAD }

    @Inject
    MeterRegistry registry;

    public void received(String system, String type) {
        Counter.builder("weft.messages.received").description("Messages accepted and journaled, per source system and type")
                .tag("system", system).tag("type", type).register(registry).increment();
    }

    public void duplicate(String system, String type) {
        Counter.builder("weft.messages.duplicates").description("Messages recognised as already journaled")
                .tag("system", system).tag("type", type).register(registry).increment();
    }

    public void rejected(String system, Rejection reason) {
        Counter.builder("weft.inbound.rejected").description("Inbound messages refused, per source system and reason")
                .tag("system", system).tag("reason", reason.name().toLowerCase()).register(registry).increment();
    }

    public void mappingFailure(String system, String direction) {
        Counter.builder("weft.mapping.failures").description("Translations that failed, per system and direction")
                .tag("system", system).tag("direction", direction).register(registry).increment();
    }

    public void validationFailure(String system, String type) {
        Counter.builder("weft.validation.failures").description("Canonical messages that broke their schema")
                .tag("system", system).tag("type", type).register(registry).increment();
    }

    /** One delivery attempt: its outcome, how long the destination took, and for a success the end-to-end age. */
    public void attempt(String destination, String type, Outcome outcome, Duration took, Duration sinceReceived) {
        Counter.builder("weft.deliveries").description("Delivery attempts per destination, type and outcome")
                .tag("destination", destination).tag("type", type).tag("outcome", outcome.name().toLowerCase())
                .register(registry).increment();
        Timer.builder("weft.delivery.duration").description("Time one delivery attempt took")
                .tag("destination", destination).tag("outcome", outcome == Outcome.DELIVERED ? "success" : "failure")
                .publishPercentileHistogram().register(registry).record(took);
        if (outcome == Outcome.DELIVERED && sinceReceived != null) {
            Timer.builder("weft.end.to.end").description("Time from receipt by Weft to confirmed delivery")
                    .tag("destination", destination).tag("type", type)
                    .publishPercentileHistogram().register(registry).record(sinceReceived);
        }
    }
}
