package io.weft.delivery;

import io.weft.observe.OutboxCounts;
import io.weft.observe.OutboxStats.DestinationStats;
import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The outbox's backlog, oldest waiting delivery and parked deliveries per destination, in one grouped read. */
@ApplicationScoped
public class OutboxBacklog implements OutboxCounts {

    @Inject
    Store store;

    @Override
    public Map<String, DestinationStats> perDestination() {
        return store.read(c -> {
            Map<String, DestinationStats> stats = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT destination, "
                    + "SUM(CASE WHEN status <> 'DEAD' THEN 1 ELSE 0 END), "
                    + "MIN(CASE WHEN status <> 'DEAD' THEN created_at END), "
                    + "SUM(CASE WHEN status = 'DEAD' THEN 1 ELSE 0 END) "
                    + "FROM delivery WHERE status IN ('PENDING', 'RETRYING', 'DEAD') GROUP BY destination");
                 ResultSet rs = ps.executeQuery()) {
                Instant now = Instant.now();
                while (rs.next()) {
                    Timestamp oldest = rs.getTimestamp(3);
                    stats.put(rs.getString(1), new DestinationStats(rs.getLong(2),
                            oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), now), rs.getLong(4)));
                }
            }
            return stats;
        });
    }
}
