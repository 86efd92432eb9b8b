package io.weft.delivery;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.weft.observe.SystemReachability;
import io.weft.observe.Tracing;
import io.weft.observe.WeftMetrics;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One destination's worker threads. A worker claims a batch of due deliveries under a lease and attempts them
 * in order, recording each attempt as it ends, in its own short transaction that is fenced by the claim's token.
 *
 * <p>Why a slow destination never loses its claim mid-batch: leases are renewed as attempts proceed. A heartbeat
 * renews every claim the lane's workers hold every third of a lease, so neither the attempt in flight nor the
 * batch's tail runs out however long the batch takes; and the transaction that records an attempt reports which
 * of the batch's deliveries the claim still holds, which is checked before the next attempt is made. Chosen over
 * a lease sized for the whole batch, which would have to guess the destination's speed. A lease is then lost only
 * when the instance could not reach the database for a whole lease (or stopped): the batch's next attempts are
 * not made, and a result whose lease was lost is not written (logged, counted in
 * {@code weft_delivery_leases_lost_total}). An attempt cannot hold its lease forever: the HTTP and JDBC timeouts
 * end it.
 */
final class DeliveryLane {
    private static final Logger LOG = Logger.getLogger(DeliveryLane.class);

    /** What a lane needs from the dispatcher. */
    record Services(Outbox outbox, DeliveryAttempter attempter, WeftMetrics metrics, Tracer tracer,
                    SystemReachability reachability, String instance, BooleanSupplier running,
                    ScheduledExecutorService heartbeat) {
    }

    private final String destination;
    private final DeliveryPolicy policy;
    private final Services s;
    private final List<Thread> workers = new ArrayList<>();
    private final Object signal = new Object();
    private boolean signalled;
    /** The tokens of the claims this lane's workers hold now, renewed by the heartbeat. */
    private final Set<String> heldClaims = ConcurrentHashMap.newKeySet();

    DeliveryLane(String destination, DeliveryPolicy policy, Services services) {
        this.destination = destination;
        this.policy = policy;
        this.s = services;
    }

    void start() {
        for (int i = 0; i < policy.concurrency(); i++) {
            Thread worker = new Thread(this::work, "weft-deliver-" + destination + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        long period = Math.max(50, policy.lease().toMillis() / 3);
        s.heartbeat().scheduleWithFixedDelay(this::renewHeldClaims, period, period, TimeUnit.MILLISECONDS);
    }

    private void renewHeldClaims() {
        try {
            if (!heldClaims.isEmpty()) {
                s.outbox().renew(Set.copyOf(heldClaims), policy.lease());
            }
        } catch (RuntimeException e) {
            // The store is away: the next beat tries again; should it stay away a whole lease, the claims are lost.
            LOG.debugf("lease heartbeat of lane %s: %s", destination, e.getMessage());
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
        while (s.running().getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            try {
                Outbox.Claim claim = s.outbox().claim(destination, policy.batchSize(), policy.lease(), s.instance());
                if (claim.isEmpty()) {
                    idle();
                } else {
                    heldClaims.add(claim.token());
                    try {
                        deliver(claim);
                    } finally {
                        heldClaims.remove(claim.token());
                    }
                }
            } catch (RuntimeException e) {
                // One bad round (the store away, say) never ends the worker; what it held comes back with its lease.
                LOG.warnf("delivery lane %s: %s; retrying in %s", destination, e.getMessage(), policy.pollInterval());
                idle();
            }
        }
    }

    private void idle() {
        synchronized (signal) {
            if (!signalled && s.running().getAsBoolean()) {
                try {
                    signal.wait(policy.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            signalled = false;
        }
    }

    private void deliver(Outbox.Claim claim) {
        List<Outbox.Claimed> batch = claim.deliveries();
        Set<Long> held = new HashSet<>();
        batch.forEach(d -> held.add(d.id()));
        for (int i = 0; i < batch.size(); i++) {
            Outbox.Claimed delivery = batch.get(i);
            if (!s.running().getAsBoolean()) {
                s.outbox().handBack(claim, Duration.ZERO);
                return;
            }
            if (!held.contains(delivery.id())) {
                leaseLost(delivery, "before its attempt, which is not made");
                continue;
            }
            DeliveryAttempter.Outcome outcome = attemptTraced(delivery);
            Outbox.Attempt attempt = nextState(delivery, outcome);
            Outbox.Recorded recorded = recordUntilStored(claim, attempt);
            evidence(outcome);
            if (recorded.written()) {
                report(delivery, attempt);
            } else {
                leaseLost(delivery, "during its attempt; its result (" + outcome.outcomeClass() + ") is not recorded");
            }
            held.retainAll(recorded.stillHeld());
            if (recorded.paused()) {
                // An operator paused the destination during the batch: the rest wait, untried, for the resume.
                s.outbox().handBack(claim, Duration.ZERO);
                return;
            }
            if (outcome.outcomeClass().destinationDown()) {
                // The rest would each wait for their own timeout: hand them back untried, due with this backoff.
                s.outbox().handBack(claim, policy.backoffAfter(delivery.cycleAttempts() + 1));
                return;
            }
        }
    }

    /**
     * Records an attempt that was made. If the store is away (a database restart), the result is kept and written
     * again until the store is back, for as long as the lease would last: a result dropped here would be a delivery
     * made again after the lease, a duplicate Weft could have avoided. The write stays fenced by the claim token,
     * so a late write after another worker took the delivery over changes nothing.
     */
    private Outbox.Recorded recordUntilStored(Outbox.Claim claim, Outbox.Attempt attempt) {
        long giveUpAt = System.nanoTime() + policy.lease().toNanos();
        long pause = Math.max(100, policy.pollInterval().toMillis());
        for (int tries = 0; ; tries++) {
            try {
                return s.outbox().record(claim, attempt, s.instance());
            } catch (io.weft.store.StoreException e) {
                if (System.nanoTime() > giveUpAt || !s.running().getAsBoolean()) {
                    throw e;
                }
                if (tries == 0) { // one line per attempt kept, not one per try while the store is away
                    LOG.warnf("delivery lane %s: cannot record the attempt of message %s (%s); trying again every "
                            + "%d ms while the lease lasts", destination, attempt.delivery().messageId(),
                            e.getMessage(), pause);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void leaseLost(Outbox.Claimed delivery, String when) {
        LOG.warnf("delivery of message %s to %s: the lease was taken over %s", delivery.messageId(), destination, when);
        s.metrics().leaseLost(destination);
    }

    /** One attempt inside a span of the message's trace, with the message's ids in the log context. */
    private DeliveryAttempter.Outcome attemptTraced(Outbox.Claimed delivery) {
        Span span = Tracing.startDelivery(s.tracer(), delivery.traceparent(), destination, delivery.messageId());
        MDC.put("messageId", delivery.messageId());
        MDC.put("correlationId", String.valueOf(delivery.correlationId()));
        MDC.put("system", destination);
        MDC.put("routeId", destination + "-out");
        try (Scope ignored = span.makeCurrent()) {
            DeliveryAttempter.Outcome outcome = s.attempter().attempt(delivery, delivery.type(), delivery.subject());
            span.setAttribute("weft.outcome", outcome.outcomeClass().name().toLowerCase());
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

    /**
     * Reachability evidence from an attempt, whoever records it: a delivery proves the destination up, and only
     * an UNREACHABLE attempt proves it down. A refusal, a 5xx, a data error or a failure inside Weft's own route
     * say nothing about the destination being down.
     */
    private void evidence(DeliveryAttempter.Outcome o) {
        if (o.success()) {
            s.reachability().delivered(destination);
        } else if (o.outcomeClass().destinationDown()) {
            s.reachability().unreachable(destination, o.errorMessage());
        }
    }

    /** Metrics and the DEAD log line of a recorded attempt. */
    private void report(Outbox.Claimed delivery, Outbox.Attempt a) {
        Duration sinceReceived = a.success() ? Duration.between(delivery.receivedAt(), Instant.now()) : null;
        s.metrics().attempt(destination, delivery.type(), switch (a.next()) {
            case DELIVERED -> WeftMetrics.Outcome.DELIVERED;
            case DEAD -> WeftMetrics.Outcome.DEAD;
            default -> WeftMetrics.Outcome.RETRY;
        }, a.outcomeClass().name().toLowerCase(), Duration.ofMillis(a.durationMs()), sinceReceived);
        if (a.outcomeClass() == OutcomeClass.UNTRANSLATABLE) {
            s.metrics().mappingFailure(destination, "out");
        }
        if (a.next() == Outbox.Status.DEAD) {
            LOG.warnf("delivery of message %s to %s parked DEAD after %d attempts (%s): %s", delivery.messageId(),
                    destination, delivery.cycleAttempts() + 1, a.outcomeClass(), a.errorMessage());
        }
    }

    private Outbox.Attempt nextState(Outbox.Claimed delivery, DeliveryAttempter.Outcome o) {
        Outbox.Status next;
        Duration retryIn = null;
        if (o.success()) {
            next = Outbox.Status.DELIVERED;
        } else if (o.outcomeClass().parksAtOnce() || delivery.cycleAttempts() + 1 >= policy.maxAttempts()) {
            next = Outbox.Status.DEAD;
        } else {
            next = Outbox.Status.RETRYING;
            retryIn = policy.backoffAfter(delivery.cycleAttempts() + 1);
        }
        return new Outbox.Attempt(delivery, o.startedAt(), o.durationMs(), o.outcomeClass(), next, retryIn,
                o.httpStatus(), o.errorClass(), o.errorMessage(), o.responseExcerpt());
    }
}
