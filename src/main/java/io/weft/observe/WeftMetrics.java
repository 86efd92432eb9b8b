package io.weft.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Weft's own Prometheus metrics, all prefixed {@code weft_}. Labels are bounded: system and destination
 * names come from the route files, types from the schemas, outcomes and reasons from fixed lists; never ids.
 *
 * <p>Each meter is built and registered once per label combination and kept here, so counting an event on
 * the hot path is a map lookup and an increment, not a builder, a tag list and a registry lookup.
 */
@ApplicationScoped
public class WeftMetrics {

    /** Why an inbound message was refused. */
    public enum Rejection { MALFORMED, MEDIA_TYPE, TOO_LARGE, MAPPING, SCHEMA, UNSTORABLE, ROUTING, STORE, OTHER,
        UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, NOT_GRANTED }

    /** What an attempt led to. */
    public enum Outcome { DELIVERED, RETRY, DEAD }

    @Inject
    MeterRegistry registry;

    /** Meters by metric name and label values (the bounded label sets above keep this small). */
    private final Map<List<Object>, Object> meters = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private <M> M meter(List<Object> key, Function<List<Object>, M> create) {
        Object meter = meters.get(key);
        if (meter == null) {
            meter = meters.computeIfAbsent(key, create::apply);
        }
        return (M) meter;
    }

    public void received(String system, String type) {
        count("weft.messages.received", "Messages accepted and journaled, per source system and type",
                "system", system, "type", type);
    }

    public void duplicate(String system, String type) {
        count("weft.messages.duplicates", "Messages recognised as already journaled", "system", system, "type", type);
    }

    public void rejected(String system, Rejection reason) {
        count("weft.inbound.rejected", "Inbound messages refused, per source system and reason",
                "system", system, "reason", reason.name().toLowerCase());
    }

    public void mappingFailure(String system, String direction) {
        count("weft.mapping.failures", "Translations that failed, per system and direction",
                "system", system, "direction", direction);
    }

    public void validationFailure(String system, String type) {
        count("weft.validation.failures", "Canonical messages that broke their schema", "system", system, "type", type);
    }

    /** Increments the counter {@code name} with two labels, registering it on first use. */
    private void count(String name, String description, String label1, String value1, String label2, String value2) {
        this.<Counter>meter(List.of(name, value1, value2), k -> Counter.builder(name).description(description)
                .tag(label1, value1).tag(label2, value2).register(registry)).increment();
    }

    /**
     * One delivery attempt: what it led to ({@code outcome}), what it came to ({@code outcomeClass}, one of the
     * delivery outcome classes in lower case: delivered, refused, untranslatable, unreachable, transient,
     * permanent), how long the destination took, and for a success the end-to-end age.
     */
    public void attempt(String destination, String type, Outcome outcome, String outcomeClass, Duration took,
                        Duration sinceReceived) {
        this.<Counter>meter(List.of("deliveries", destination, type, outcome, outcomeClass), k -> Counter
                .builder("weft.deliveries")
                .description("Delivery attempts per destination, type, outcome and outcome class")
                .tag("destination", destination).tag("type", type).tag("outcome", outcome.name().toLowerCase())
                .tag("class", outcomeClass).register(registry)).increment();
        String result = outcome == Outcome.DELIVERED ? "success" : "failure";
        this.<Timer>meter(List.of("duration", destination, result), k -> Timer.builder("weft.delivery.duration")
                .description("Time one delivery attempt took")
                .tag("destination", destination).tag("outcome", result)
                .publishPercentileHistogram().register(registry)).record(took);
        if (outcome == Outcome.DELIVERED && sinceReceived != null) {
            this.<Timer>meter(List.of("endToEnd", destination, type), k -> Timer.builder("weft.end.to.end")
                    .description("Time from receipt by Weft to confirmed delivery")
                    .tag("destination", destination).tag("type", type)
                    .publishPercentileHistogram().register(registry)).record(sinceReceived);
        }
    }

    /** An attempt whose lease was taken over by another worker: its result is not recorded. */
    public void leaseLost(String destination) {
        this.<Counter>meter(List.of("leasesLost", destination), k -> Counter.builder("weft.delivery.leases.lost")
                .description("Delivery attempts not made or not recorded because their lease was taken over")
                .tag("destination", destination).register(registry)).increment();
    }

    /** A shadow comparison of a candidate mapping with the live one (outcome same, different or failed). */
    public void shadow(String destination, String type, String outcome) {
        this.<Counter>meter(List.of("shadow", destination, type, outcome), k -> Counter.builder("weft.shadow.comparisons")
                .description("Deliveries whose candidate mapping was compared with the live one, per outcome")
                .tag("destination", destination).tag("type", type).tag("outcome", outcome)
                .register(registry)).increment();
    }
}
