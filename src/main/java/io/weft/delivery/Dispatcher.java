package io.weft.delivery;

import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.weft.hub.KnownSystems;
import io.weft.hub.PublishWriter;
import io.weft.observe.SystemReachability;
import io.weft.observe.WeftMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Starts after Camel, because the lanes deliver through the outbound routes. */
    void onCamelStarted(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        int released = outbox.releaseLeasesOf(instance);
        if (released > 0) {
            LOG.infof("resuming %d deliveries this instance (%s) held when it last stopped", released, instance);
        }
        running = true;
        DeliveryLane.Services services = new DeliveryLane.Services(outbox, attempter, metrics, tracer, reachability,
                instance, () -> running);
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
    }

    /** New deliveries were committed: wake the lanes concerned instead of waiting for their next poll. */
    void onCommitted(@Observes PublishWriter.Committed committed) {
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
