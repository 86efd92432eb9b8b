package io.weft.tools;

import java.util.List;

/**
 * One concern checked over every step of the loaded routes. {@link Validate} runs them in order; a new
 * concern (e.g. publish rights: that each system may publish the types its inbound routes set in
 * {@code WeftType}) is one more implementation added to {@link Validate#routeChecks}.
 */
interface RouteCheck {
    void check(List<RouteStep> steps);
}
