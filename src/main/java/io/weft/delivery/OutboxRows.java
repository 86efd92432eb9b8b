package io.weft.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery rows that the journal's own transactions write: born PENDING with their message (in the publish's
 * transaction), and purged with it once retention no longer keeps it (in the purge's). Each method runs inside the
 * caller's transaction, so a message and its deliveries are written, and deleted, together.
 */
public final class OutboxRows {

    /** A delivery that keeps its message: not delivered, or delivered after the cut-off. */
    private static final String KEPT = "(d.status <> 'DELIVERED' OR d.delivered_at IS NULL OR d.delivered_at >= ?)";

    private OutboxRows() {
    }

    /** One PENDING delivery per destination of each message, as one JDBC batch. */
    public static void insertPending(Connection c, Map<String, List<String>> destinationsByMessage)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        // Due at once on the database's clock, the clock the dispatcher's claims compare with (an instance whose
        // clock runs ahead would otherwise hold its new deliveries back by the difference).
        try (PreparedStatement delivery = c.prepareStatement("INSERT INTO delivery (message_id, destination, "
                + "status, attempts, cycle_attempts, next_attempt_at, created_at) "
                + "VALUES (?, ?, 'PENDING', 0, 0, CURRENT_TIMESTAMP, ?)")) {
            for (Map.Entry<String, List<String>> message : destinationsByMessage.entrySet()) {
                for (String destination : message.getValue()) {
                    delivery.setString(1, message.getKey());
                    delivery.setString(2, destination);
                    delivery.setTimestamp(3, now);
                    delivery.addBatch();
                }
            }
            delivery.executeBatch();
        }
    }

    /**
     * The oldest messages the purge may take, in receipt order (index ix_message_received): received before the
     * cut-off, and no delivery of theirs {@link #KEPT}.
     */
    public static List<String> purgeCandidates(Connection c, Timestamp cutoff, int batch) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.id FROM message m WHERE m.received_at < ? "
                + "AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND " + KEPT + ") "
                + "ORDER BY m.received_at LIMIT " + batch)) {
            ps.setTimestamp(1, cutoff);
            ps.setTimestamp(2, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Locks the candidates' deliveries (in id order, so two purging instances do not deadlock) and names the
     * messages that gained a reason to stay since they were chosen: an operator's replay re-queued a delivery.
     */
    public static Set<String> stillNeeded(Connection c, List<String> ids, Timestamp cutoff) throws SQLException {
        Set<String> needed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.message_id, d.status, d.delivered_at FROM delivery d "
                + "WHERE d.message_id IN " + placeholders(ids.size()) + " ORDER BY d.id FOR UPDATE")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp deliveredAt = rs.getTimestamp(3);
                    if (!"DELIVERED".equals(rs.getString(2)) || deliveredAt == null || !deliveredAt.before(cutoff)) {
                        needed.add(rs.getString(1));
                    }
                }
            }
        }
        return needed;
    }

    /** Deletes the deliveries of these messages with their attempts (before the messages themselves go). */
    public static void deleteOf(Connection c, List<String> messageIds) throws SQLException {
        String in = placeholders(messageIds.size());
        update(c, "DELETE FROM delivery_attempt WHERE delivery_id IN "
                + "(SELECT d.id FROM delivery d WHERE d.message_id IN " + in + ")", messageIds);
        update(c, "DELETE FROM delivery WHERE message_id IN " + in, messageIds);
    }

    private static void update(Connection c, String sql, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            ps.executeUpdate();
        }
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
