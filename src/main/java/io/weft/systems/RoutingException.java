package io.weft.systems;

import io.weft.api.Problem;
import io.weft.api.ProblemException;

/**
 * The hub router failed, or named a system that has no declared outbound route: Weft's configuration is wrong,
 * not the sender's message, so it answers 500 {@code routing-failed}.
 */
public class RoutingException extends ProblemException {
    public RoutingException(String message, Throwable cause) {
        super(Problem.of(500, "routing-failed", "The hub router failed", message), cause);
    }
}
