package io.weft.observe;

import io.quarkus.runtime.ShutdownEvent;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the reachability probes on their own schedule, every {@code weft.health.probe-interval}: a TCP connect to
 * each destination's {@code weft.systems.<system>.url}, and the spoke probes ({@link SpokeProbes}: the QMS's
 * datasource, the MQTT link, the drop folders). Each system's probe runs on its own thread, so one that hangs (a
 * database that accepts connections and never answers) delays no other; while it hangs it is not started again,
 * and once it has taken longer than {@code weft.health.probe-timeout} its system is recorded DOWN. What the probes
 * find goes to {@link SystemReachability}, which the health check reads.
 */
@ApplicationScoped
public class ReachabilityProber {
    private static final Logger LOG = Logger.getLogger(ReachabilityProber.class);

    @Inject
    KnownSystems systems;
    @Inject
    Config config;
    @Inject
    SpokeProbes spokes;
    @Inject
    SystemReachability reachability;
    @ConfigProperty(name = "weft.health.probe-interval", defaultValue = "10s")
    Duration probeInterval;
    @ConfigProperty(name = "weft.health.probe-timeout", defaultValue = "5s")
    Duration probeTimeout;

    /** Per system, when its probe still running was started (nanoTime). */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private ScheduledExecutorService schedule;
    private ExecutorService probes;

    void start(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        AtomicInteger threads = new AtomicInteger();
        schedule = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "weft-system-probe"));
        probes = Executors.newCachedThreadPool(r -> daemon(r, "weft-system-probe-" + threads.incrementAndGet()));
        schedule.scheduleWithFixedDelay(this::round, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (schedule != null) {
            schedule.shutdownNow();
            probes.shutdownNow();
        }
    }

    /** One round: start every probe that is not still running; report the ones running for too long. */
    void round() {
        try {
            for (Map.Entry<String, Supplier<Optional<String>>> probe : checks().entrySet()) {
                String system = probe.getKey();
                Long startedAt = inFlight.putIfAbsent(system, System.nanoTime());
                if (startedAt == null) {
                    probes.execute(() -> run(system, probe.getValue()));
                } else if (System.nanoTime() - startedAt > probeTimeout.toNanos()) {
                    reachability.record(system, false, "no answer to the probe within " + probeTimeout.toSeconds() + " s");
                }
            }
        } catch (RuntimeException e) {
            // A round must never end the schedule: the next one tries again.
            LOG.debugf("probe round failed: %s", e.toString());
        }
    }

    private void run(String system, Supplier<Optional<String>> probe) {
        try {
            Optional<String> error = probe.get();
            reachability.record(system, error.isEmpty(), error.orElse(null));
        } catch (RuntimeException e) {
            reachability.record(system, false, "probe failed: " + e.getMessage());
        } finally {
            inFlight.remove(system);
        }
    }

    private Map<String, Supplier<Optional<String>>> checks() {
        Map<String, Supplier<Optional<String>>> checks = new HashMap<>();
        for (String system : systems.destinations()) {
            config.getOptionalValue("weft.systems." + system + ".url", String.class)
                    .ifPresent(url -> checks.put(system, () -> tcp(system, url)));
        }
        TreeSet<String> all = new TreeSet<>(systems.destinations());
        all.addAll(systems.sources());
        // A spoke probe (e.g. drop folders of a destination) replaces the URL probe: it knows the system better.
        checks.putAll(spokes.probes(all));
        return checks;
    }

    static Optional<String> tcp(String system, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("weft.systems." + system + ".url is not a URL: " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("cannot connect to " + uri.getHost() + ":" + port + ": " + e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
