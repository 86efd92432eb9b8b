package io.weft.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.weft.hub.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether each connected system can be reached, from two sources of evidence: every delivery attempt
 * (a confirmed delivery proves it up, a connection failure proves it down), and, so that an idle system's
 * outage shows before traffic needs it, a periodic TCP connect to the host and port of
 * {@code weft.systems.<system>.url}. The latest evidence wins.
 */
@ApplicationScoped
public class SystemReachability {

    public record State(boolean reachable, Instant since, Instant checkedAt, String lastError, Instant lastSuccess) {
    }

    @Inject
    KnownSystems systems;
    @Inject
    Config config;
    @Inject
    MeterRegistry registry;
    @Inject
    SpokeProbes spokes;
    @ConfigProperty(name = "weft.health.probe-interval", defaultValue = "10s")
    Duration probeInterval;

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private ScheduledExecutorService prober;

    void start(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        for (String system : probed()) {
            Gauge.builder("weft.system.up", () -> of(system).map(s -> s.reachable() ? 1.0 : 0.0).orElse(Double.NaN))
                    .description("1 when the system can be reached, 0 when not (NaN before the first check)")
                    .tag("system", system).register(registry);
        }
        prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-system-probe");
            t.setDaemon(true);
            return t;
        });
        prober.scheduleWithFixedDelay(this::probeAll, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (prober != null) {
            prober.shutdownNow();
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

    /** The systems whose reachability is known: every destination, and every source a spoke probe can check. */
    public java.util.Set<String> probed() {
        java.util.Set<String> names = new java.util.TreeSet<>(systems.destinations());
        names.addAll(spokes.probe(systems.sources()).keySet());
        return names;
    }

    private void probeAll() {
        try {
            for (String system : systems.destinations()) {
                config.getOptionalValue("weft.systems." + system + ".url", String.class).ifPresent(url -> probe(system, url));
            }
            java.util.Set<String> all = new java.util.TreeSet<>(systems.destinations());
            all.addAll(systems.sources());
            spokes.probe(all).forEach((system, error) -> record(system, error.isEmpty(), error.orElse(null)));
        } catch (RuntimeException e) {
            // A probe must never end the prober: the next round tries again.
        }
    }

    private void probe(String system, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            record(system, false, "weft.systems." + system + ".url is not a URL: " + url);
            return;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
            record(system, true, null);
        } catch (IOException | IllegalArgumentException e) {
            record(system, false, "cannot connect to " + uri.getHost() + ":" + port + ": " + e.getMessage());
        }
    }

    private void record(String system, boolean reachable, String error) {
        Instant now = Instant.now();
        states.compute(system, (s, old) -> new State(reachable,
                old != null && old.reachable() == reachable ? old.since() : now, now,
                reachable ? (old == null ? null : old.lastError()) : error, old == null ? null : old.lastSuccess()));
    }
}
