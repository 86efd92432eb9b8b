package io.weft.delivery;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.weft.observe.Tracing;
import io.weft.observe.WeftMetrics;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt of a lane's batch, from the call to its recorded result: the attempt inside its trace span, the
 * delivery's next state by the destination's policy, the fenced write of the result (kept and written again while
 * the store is away), the reachability evidence, the metrics and the log line of a delivery parked DEAD.
 * {@link DeliveryLane} decides which deliveries get an attempt and what the rest of the batch does after it.
 */
final class LaneAttempts {
    /** The lane's log category: a lane's lines stay under one name, as before the attempt had a class of its own. */
    private static final Logger LOG = Logger.getLogger(DeliveryLane.class);

    /** The attempt's outcome and what recording it found: written or not, what the claim still holds. */
    record Made(DeliveryAttempter.Outcome outcome, Outbox.Recorded recorded) {
    }

    private final String destination;
    private final DeliveryPolicy policy;
    private final DeliveryLane.Services s;

    LaneAttempts(String destination, DeliveryPolicy policy, DeliveryLane.Services services) {
        this.destination = destination;
        this.policy = policy;
        this.s = services;
    }

    Made make(Outbox.Claim claim, Outbox.Claimed delivery) {
        DeliveryAttempter.Outcome outcome = attemptTraced(delivery);
        Outbox.Attempt attempt = nextState(delivery, outcome);
        Outbox.Recorded recorded = recordUntilStored(claim, attempt);
        evidence(outcome);
        if (recorded.written()) {
            report(delivery, attempt);
        } else {
            leaseLost(delivery, "during its attempt; its result (" + outcome.outcomeClass() + ") is not recorded");
        }
        return new Made(outcome, recorded);
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

    void leaseLost(Outbox.Claimed delivery, String when) {
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
