package io.weft.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.hub.KnownSystems;
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

    public record State(boolean reachable, Instant since, Instant checkedAt, String lastError, Instant lastSuccess) {
    }

    @Inject
    KnownSystems systems;
    @Inject
    MeterRegistry registry;
    @Inject
    SpokeProbes spokes;

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
        Instant now = Instant.now();
        states.compute(system, (s, old) -> new State(true, old != null && old.reachable() ? old.since() : now, now,
                old == null ? null : old.lastError(), now));
    }

    public void unreachable(String system, String error) {
        record(system, false, error);
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
        Instant now = Instant.now();
        states.compute(system, (s, old) -> new State(reachable,
                old != null && old.reachable() == reachable ? old.since() : now, now,
                reachable ? (old == null ? null : old.lastError()) : error, old == null ? null : old.lastSuccess()));
    }
}
