package io.weft.observe;

import java.util.Map;

/**
 * Reads the outbox's waiting and parked deliveries per destination for {@link OutboxStats}. The delivery package,
 * which owns the delivery table's SQL, implements it; observe, below it, only publishes the numbers.
 */
public interface OutboxCounts {
    /** Each destination that has waiting or parked deliveries; one without any is absent. */
    Map<String, OutboxStats.DestinationStats> perDestination();
}
