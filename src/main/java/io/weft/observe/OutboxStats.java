package io.weft.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Backlog, age of the oldest waiting delivery and parked deliveries per destination, read from the outbox
 * every few seconds (shared by every instance on PostgreSQL, so each reports the whole hub's backlog) and
 * published as gauges {@code weft_backlog}, {@code weft_oldest_pending_age_seconds} and
 * {@code weft_dead_deliveries}. The numbers are read by the outbox ({@link OutboxCounts}).
 */
@ApplicationScoped
public class OutboxStats {
    private static final Logger LOG = Logger.getLogger(OutboxStats.class);

    public record DestinationStats(long backlog, Duration oldestPendingAge, long dead) {
        static final DestinationStats EMPTY = new DestinationStats(0, Duration.ZERO, 0);
    }

    @Inject
    OutboxCounts counts;
    @Inject
    KnownSystems systems;
    @Inject
    MeterRegistry registry;

    private final Map<String, DestinationStats> current = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;

    void start(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        for (String destination : systems.destinations()) {
            current.put(destination, DestinationStats.EMPTY);
            Gauge.builder("weft.backlog", () -> of(destination).backlog())
                    .description("Deliveries waiting (PENDING or RETRYING) per destination")
                    .tag("destination", destination).register(registry);
            Gauge.builder("weft.oldest.pending.age", () -> of(destination).oldestPendingAge().toMillis() / 1000.0)
                    .description("Age in seconds of the oldest waiting delivery per destination")
                    .baseUnit("seconds").tag("destination", destination).register(registry);
            Gauge.builder("weft.dead.deliveries", () -> of(destination).dead())
                    .description("Deliveries parked DEAD per destination, waiting for an operator")
                    .tag("destination", destination).register(registry);
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-outbox-stats");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, 5, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    public DestinationStats of(String destination) {
        return current.getOrDefault(destination, DestinationStats.EMPTY);
    }

    /** Reads the outbox now; also called by the operations API so that it never shows stale numbers. */
    public void refresh() {
        try {
            Map<String, DestinationStats> fresh = counts.perDestination();
            current.replaceAll((destination, old) -> fresh.getOrDefault(destination, DestinationStats.EMPTY));
        } catch (RuntimeException e) {
            LOG.debugf("outbox statistics not refreshed: %s", e.getMessage());
        }
    }
}
