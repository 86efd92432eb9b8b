package io.weft.delivery;

/**
 * Weft cannot deliver to a destination as configured (e.g. its credential is missing from the environment): the
 * delivery is parked at once, its diagnostic naming what to set, instead of being retried until someone notices.
 */
public class MisconfiguredDestinationException extends IllegalStateException {
    public MisconfiguredDestinationException(String message) {
        super(message);
    }
}
