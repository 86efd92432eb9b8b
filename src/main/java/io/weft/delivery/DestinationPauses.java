package io.weft.delivery;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Destinations paused by an operator (table {@code destination_pause}, V11). The pause lives in the store, so it
 * survives a restart and every instance sharing PostgreSQL honours it: {@link Outbox}'s claim skips a paused
 * destination's deliveries, and an attempt's recording reports a pause that came during a batch.
 */
@ApplicationScoped
public class DestinationPauses {

    public record Pause(String destination, String pausedBy, Instant pausedAt) {
    }

    /** A claim's condition: no pause row for the delivery's destination (the claim's table is {@code delivery}). */
    static final String NOT_PAUSED = "NOT EXISTS (SELECT 1 FROM destination_pause p WHERE p.destination = delivery.destination)";

    @Inject
    Store store;

    /** Pauses a destination; false when it was paused already (the first pause keeps its actor and time). */
    public boolean pause(String destination, String actor) {
        return store.inTransaction(c -> {
            if (isPaused(c, destination)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO destination_pause (destination, paused_by, paused_at) VALUES (?, ?, ?)")) {
                ps.setString(1, destination);
                ps.setString(2, actor);
                ps.setTimestamp(3, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Resumes a destination; false when it was not paused. */
    public boolean resume(String destination) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM destination_pause WHERE destination = ?")) {
                ps.setString(1, destination);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Map<String, Pause> all() {
        return store.read(c -> {
            Map<String, Pause> pauses = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT destination, paused_by, paused_at FROM destination_pause");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pauses.put(rs.getString(1), new Pause(rs.getString(1), rs.getString(2),
                            rs.getTimestamp(3).toInstant()));
                }
            }
            return pauses;
        });
    }

    public Optional<Pause> of(String destination) {
        return Optional.ofNullable(all().get(destination));
    }

    /** A condition for a select list: whether the destination given as its one parameter is paused. */
    static final String IS_PAUSED = "EXISTS (SELECT 1 FROM destination_pause WHERE destination = ?)";

    static boolean isPaused(Connection c, String destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM destination_pause WHERE destination = ?")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
