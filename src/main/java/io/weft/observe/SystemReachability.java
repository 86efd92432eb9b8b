package io.weft.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether each connected system can be reached, from two sources of evidence: every delivery attempt
 * (a confirmed delivery proves it up, a connection failure proves it down), and the probes that
 * {@link ReachabilityProber} runs on its own schedule, so that an idle system's outage shows before traffic
 * needs it. The latest evidence wins. Reading it ({@link #of}, {@link #probed}) never does I/O: the health
 * check and the operations API read what was last found.
 */
@ApplicationScoped
public class SystemReachability {

    /**
     * What is known of a system: reachable or not since when, the last check, and the last error with its time.
     * A success after an error clears {@code lastError} and {@code lastErrorAt} (the transition stays in
     * {@link ReachabilityHistory}), so an old error never shows beside a system that works.
     */
    public record State(boolean reachable, Instant since, Instant checkedAt, String lastError, Instant lastErrorAt,
                        Instant lastSuccess) {
    }

    @Inject
    KnownSystems systems;
    @Inject
    MeterRegistry registry;
    @Inject
    SpokeProbes spokes;
    @Inject
    ReachabilityHistory history;

    private final Map<String, State> states = new ConcurrentHashMap<>();

    void registerGauges(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        for (String system : probed()) {
            Gauge.builder("weft.system.up", () -> of(system).map(s -> s.reachable() ? 1.0 : 0.0).orElse(Double.NaN))
                    .description("1 when the system can be reached, 0 when not (NaN before the first check)")
                    .tag("system", system).register(registry);
        }
    }

    public Optional<State> of(String system) {
        return Optional.ofNullable(states.get(system));
    }

    public void delivered(String system) {
        change(system, true, null, true);
    }

    public void unreachable(String system, String error) {
        record(system, false, error);
    }

    /** Evidence that a system answers, other than a delivery (a source's poll that worked again). */
    public void reachable(String system) {
        record(system, true, null);
    }

    /**
     * The systems whose reachability is known: every destination, and every source a spoke probe can check.
     * Decided from configuration and route state only (no probe is run here).
     */
    public Set<String> probed() {
        Set<String> names = new TreeSet<>(systems.destinations());
        names.addAll(spokes.probes(systems.sources()).keySet());
        return names;
    }

    /** What a probe found: reachable when {@code error} is null. */
    void record(String system, boolean reachable, String error) {
        change(system, reachable, error, false);
    }

    private void change(String system, boolean reachable, String error, boolean delivered) {
        Instant now = Instant.now();
        State[] before = new State[1];
        State after = states.compute(system, (s, old) -> {
            before[0] = old;
            boolean same = old != null && old.reachable() == reachable;
            return new State(reachable, same ? old.since() : now, now, reachable ? null : error,
                    reachable ? null : now, delivered ? now : old == null ? null : old.lastSuccess());
        });
        if (before[0] == null || before[0].reachable() != reachable) {
            history.transition(system, after, before[0] == null);
        }
    }
}
