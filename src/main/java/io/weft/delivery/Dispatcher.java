package io.weft.delivery;

import io.quarkus.runtime.ShutdownEvent;
import io.weft.hub.KnownSystems;
import io.weft.hub.PublishWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the outbox. Each destination has its own lane of worker threads, so a slow or dead destination
 * only ever occupies its own workers. A worker claims a batch of due deliveries under a lease, attempts
 * them in order and records the batch in one transaction. Once a destination is found unreachable the rest
 * of the batch is handed back untried rather than each waiting for its own timeout.
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
    @ConfigProperty(name = "weft.instance-id")
    String instance;

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean running;

    /** Starts after Camel, because the lanes deliver through the outbound routes. */
    void onCamelStarted(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        int released = outbox.releaseLeasesOf(instance);
        if (released > 0) {
            LOG.infof("resuming %d deliveries this instance (%s) held when it last stopped", released, instance);
        }
        running = true;
        for (String destination : systems.destinations()) {
            Lane lane = new Lane(destination, DeliveryPolicy.forDestination(config, destination));
            lanes.put(destination, lane);
            lane.start();
        }
        LOG.infof("dispatcher %s started lanes for %s", instance, lanes.keySet());
    }

    void onStop(@Observes ShutdownEvent ignored) {
        running = false;
        lanes.values().forEach(Lane::stop);
    }

    /** New deliveries were committed: wake the lanes concerned instead of waiting for their next poll. */
    void onCommitted(@Observes PublishWriter.Committed committed) {
        for (String destination : committed.destinations()) {
            Lane lane = lanes.get(destination);
            if (lane != null) {
                lane.wake();
            }
        }
    }

    /** Wakes every lane, e.g. after an operator requeued deliveries. */
    public void wakeAll() {
        lanes.values().forEach(Lane::wake);
    }

    private final class Lane {
        private final String destination;
        private final DeliveryPolicy policy;
        private final List<Thread> workers = new ArrayList<>();
        private final Object signal = new Object();
        private boolean signalled;

        Lane(String destination, DeliveryPolicy policy) {
            this.destination = destination;
            this.policy = policy;
        }

        void start() {
            for (int i = 0; i < policy.concurrency(); i++) {
                Thread worker = new Thread(this::work, "weft-deliver-" + destination + "-" + i);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
        }

        void stop() {
            wake();
            for (Thread worker : workers) {
                try {
                    worker.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void wake() {
            synchronized (signal) {
                signalled = true;
                signal.notifyAll();
            }
        }

        private void work() {
            while (running) {
                try {
                    List<Outbox.Claimed> batch = outbox.claim(destination, policy.batchSize(),
                            Instant.now().plus(policy.lease()), instance);
                    if (batch.isEmpty()) {
                        idle();
                    } else {
                        deliver(batch);
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("delivery lane %s: %s; retrying in %s", destination, e.getMessage(), policy.pollInterval());
                    idle();
                }
            }
        }

        private void idle() {
            synchronized (signal) {
                if (!signalled && running) {
                    try {
                        signal.wait(policy.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
                signalled = false;
            }
        }

        private void deliver(List<Outbox.Claimed> batch) {
            List<Outbox.Attempt> attempts = new ArrayList<>(batch.size());
            List<Outbox.Claimed> untried = new ArrayList<>();
            Instant retryUntriedAt = null;
            for (Outbox.Claimed delivery : batch) {
                if (retryUntriedAt != null || !running) {
                    untried.add(delivery);
                    continue;
                }
                DeliveryAttempter.Outcome outcome = attempter.attempt(delivery, delivery.type(), delivery.subject());
                Outbox.Attempt attempt = nextState(delivery, outcome);
                attempts.add(attempt);
                if (outcome.destinationUnreachable()) {
                    retryUntriedAt = attempt.nextAttemptAt();
                }
            }
            outbox.record(attempts, untried, retryUntriedAt == null ? Instant.now() : retryUntriedAt, instance);
        }

        private Outbox.Attempt nextState(Outbox.Claimed delivery, DeliveryAttempter.Outcome o) {
            Instant now = Instant.now();
            Outbox.Status next;
            Instant nextAt = now;
            if (o.success()) {
                next = Outbox.Status.DELIVERED;
            } else if (!o.retryable() || delivery.cycleAttempts() + 1 >= policy.maxAttempts()) {
                next = Outbox.Status.DEAD;
                LOG.warnf("delivery of message %s to %s parked DEAD after %d attempts: %s", delivery.messageId(),
                        destination, delivery.cycleAttempts() + 1, o.errorMessage());
            } else {
                next = Outbox.Status.RETRYING;
                nextAt = now.plus(policy.backoffAfter(delivery.cycleAttempts() + 1));
            }
            return new Outbox.Attempt(delivery, o.startedAt(), o.durationMs(), o.success(), next, nextAt,
                    o.httpStatus(), o.errorClass(), o.errorMessage(), o.responseExcerpt());
        }
    }
}
