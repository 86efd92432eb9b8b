package io.weft.delivery;

import java.util.Set;

/**
 * Fired after a commit that wrote new deliveries, naming their destinations, so the dispatcher wakes those lanes
 * at once instead of at their next poll. The journal's group commit fires it; the outbox owns it, so delivery
 * needs nothing of the layers that write.
 */
public record DeliveriesCommitted(Set<String> destinations) {
}
