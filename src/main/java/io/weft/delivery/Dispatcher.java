package io.weft.delivery;

import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.weft.observe.SystemReachability;
import io.weft.observe.WeftMetrics;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Delivers the outbox. Each destination has its own lane of worker threads ({@link DeliveryLane}), so a slow or
 * dead destination only ever occupies its own workers.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    @Inject
    Outbox outbox;
    @Inject
    DeliveryAttempter attempter;
    @Inject
    KnownSystems systems;
    @Inject
    Config config;
    @Inject
    WeftMetrics metrics;
    @Inject
    Tracer tracer;
    @Inject
    SystemReachability reachability;
    @ConfigProperty(name = "weft.instance-id")
    String instance;

    private final Map<String, DeliveryLane> lanes = new ConcurrentHashMap<>();
    private volatile boolean running;
    /** Renews the leases the lanes hold (see DeliveryLane); one thread is plenty, each beat is one UPDATE. */
    private ScheduledExecutorService heartbeat;

    /** Starts after Camel, because the lanes deliver through the outbound routes. */
    void onCamelStarted(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        int released = outbox.releaseLeasesOf(instance);
        if (released > 0) {
            LOG.infof("resuming %d deliveries this instance (%s) held when it last stopped", released, instance);
        }
        running = true;
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        DeliveryLane.Services services = new DeliveryLane.Services(outbox, attempter, metrics, tracer, reachability,
                instance, () -> running, heartbeat);
        for (String destination : systems.destinations()) {
            DeliveryLane lane = new DeliveryLane(destination, DeliveryPolicy.forDestination(config, destination), services);
            lanes.put(destination, lane);
            lane.start();
        }
        LOG.infof("dispatcher %s started lanes for %s", instance, lanes.keySet());
    }

    void onStop(@Observes ShutdownEvent ignored) {
        running = false;
        lanes.values().forEach(DeliveryLane::stop);
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    /** New deliveries were committed: wake the lanes concerned instead of waiting for their next poll. */
    void onCommitted(@Observes DeliveriesCommitted committed) {
        for (String destination : committed.destinations()) {
            DeliveryLane lane = lanes.get(destination);
            if (lane != null) {
                lane.wake();
            }
        }
    }

    /** Wakes every lane, e.g. after an operator requeued deliveries. */
    public void wakeAll() {
        lanes.values().forEach(DeliveryLane::wake);
    }
}
