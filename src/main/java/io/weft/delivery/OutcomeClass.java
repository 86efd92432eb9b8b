package io.weft.delivery;

/**
 * What one delivery attempt came to, by what failed. It decides the delivery's next state (retry or park at
 * once) and whether the attempt is evidence that the destination is down. Recorded in each attempt row
 * ({@code delivery_attempt.outcome_class}) and as the label {@code class} of {@code weft_deliveries_total}.
 */
public enum OutcomeClass {
    /** The destination confirmed the delivery. */
    DELIVERED(false, false),
    /**
     * The destination answered, and refused the message: a 4xx other than 408, 425 and 429; or TLS refused the
     * connection on trust (the destination's certificate is not trusted, or it refused Weft's client certificate).
     */
    REFUSED(true, false),
    /** The message could not be translated into the destination's format (its outbound mapping failed). */
    UNTRANSLATABLE(true, false),
    /** No exchange at all: connection refused, unknown host, connect timeout, no response before the timeout. */
    UNREACHABLE(false, true),
    /**
     * Worth another try: 5xx, 408, 425, 429, a connection lost mid-exchange, and any other failure inside Weft's
     * outbound route (a bug such as an NPE is retried, so a fix and a restart deliver it, but it says nothing
     * about the destination being down).
     */
    TRANSIENT(false, false),
    /**
     * The destination's database refused the data itself (SQLState class 22 or 23: a value too long, a constraint),
     * or Weft's configuration for the destination is incomplete (a credential missing from the environment).
     */
    PERMANENT(true, false);

    private final boolean parksAtOnce;
    private final boolean destinationDown;

    OutcomeClass(boolean parksAtOnce, boolean destinationDown) {
        this.parksAtOnce = parksAtOnce;
        this.destinationDown = destinationDown;
    }

    /** Trying again cannot help: the delivery is parked DEAD with this attempt's diagnostics. */
    public boolean parksAtOnce() {
        return parksAtOnce;
    }

    /** The only evidence from an attempt that marks the destination DOWN (observe/SystemReachability). */
    public boolean destinationDown() {
        return destinationDown;
    }

    /** Retried (until the destination's max-attempts). */
    public boolean retried() {
        return this != DELIVERED && !parksAtOnce;
    }
}
