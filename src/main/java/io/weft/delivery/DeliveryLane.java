package io.weft.delivery;

import io.opentelemetry.api.trace.Tracer;
import io.weft.observe.SystemReachability;
import io.weft.observe.WeftMetrics;
import org.jboss.logging.Logger;

import java.time.Duration;
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
 * end it. Each attempt itself, from the call to its recorded result, is {@link LaneAttempts}'.
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
    private final LaneAttempts attempts;
    private final List<Thread> workers = new ArrayList<>();
    private final Object signal = new Object();
    private boolean signalled;
    /** The tokens of the claims this lane's workers hold now, renewed by the heartbeat. */
    private final Set<String> heldClaims = ConcurrentHashMap.newKeySet();

    DeliveryLane(String destination, DeliveryPolicy policy, Services services) {
        this.destination = destination;
        this.policy = policy;
        this.s = services;
        this.attempts = new LaneAttempts(destination, policy, services);
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
                attempts.leaseLost(delivery, "before its attempt, which is not made");
                continue;
            }
            LaneAttempts.Made made = attempts.make(claim, delivery);
            DeliveryAttempter.Outcome outcome = made.outcome();
            Outbox.Recorded recorded = made.recorded();
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
}
