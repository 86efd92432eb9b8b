package io.weft.delivery;

import io.quarkus.runtime.ShutdownEvent;
import io.weft.hub.KnownSystems;
import io.weft.hub.PublishWriter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.weft.observe.SystemReachability;
import io.weft.observe.Tracing;
import org.jboss.logging.MDC;
import io.weft.observe.WeftMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
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
    @Inject
    WeftMetrics metrics;
    @Inject
    Tracer tracer;
    @Inject
    SystemReachability reachability;
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
                DeliveryAttempter.Outcome outcome = attemptTraced(delivery);
                Outbox.Attempt attempt = nextState(delivery, outcome);
                attempts.add(attempt);
                report(delivery, outcome, attempt.next());
                if (outcome.destinationUnreachable()) {
                    retryUntriedAt = attempt.nextAttemptAt();
                }
            }
            outbox.record(attempts, untried, retryUntriedAt == null ? Instant.now() : retryUntriedAt, instance);
        }

        /** One attempt inside a span of the message's trace, with the message's ids in the log context. */
        private DeliveryAttempter.Outcome attemptTraced(Outbox.Claimed delivery) {
            Span span = Tracing.startDelivery(tracer, delivery.traceparent(), destination,
                    delivery.messageId());
            MDC.put("messageId", delivery.messageId());
            MDC.put("correlationId", String.valueOf(delivery.correlationId()));
            MDC.put("system", destination);
            MDC.put("routeId", destination + "-out");
            try (Scope ignored = span.makeCurrent()) {
                DeliveryAttempter.Outcome outcome = attempter.attempt(delivery, delivery.type(), delivery.subject());
                span.setAttribute("weft.outcome", outcome.success() ? "delivered" : "failed");
                if (outcome.httpStatus() != null) {
                    span.setAttribute("http.response.status_code", outcome.httpStatus());
                }
                if (!outcome.success()) {
                    span.setStatus(StatusCode.ERROR, String.valueOf(outcome.errorMessage()));
                }
                return outcome;
            } finally {
                span.end();
                MDC.remove("messageId");
                MDC.remove("correlationId");
                MDC.remove("system");
                MDC.remove("routeId");
            }
        }

        /** Metrics and reachability evidence from one attempt. */
        private void report(Outbox.Claimed delivery, DeliveryAttempter.Outcome o, Outbox.Status next) {
            Duration sinceReceived = o.success() ? Duration.between(delivery.receivedAt(), Instant.now()) : null;
            metrics.attempt(destination, delivery.type(), switch (next) {
                case DELIVERED -> WeftMetrics.Outcome.DELIVERED;
                case DEAD -> WeftMetrics.Outcome.DEAD;
                default -> WeftMetrics.Outcome.RETRY;
            }, Duration.ofMillis(o.durationMs()), sinceReceived);
            if (o.success()) {
                reachability.delivered(destination);
            } else if (o.destinationUnreachable()) {
                reachability.unreachable(destination, o.errorMessage());
            } else if (o.mappingFailed()) {
                metrics.mappingFailure(destination, "out");
            }
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
