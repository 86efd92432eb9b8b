package io.weft.journal;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
import java.util.Set;

/**
 * Deletes journal entries that retention no longer keeps, one bounded batch per transaction: messages received
 * before the cut-off whose every delivery is DELIVERED before it (or that have no delivery), with their deliveries
 * and attempts; and inbound rejections recorded before it. A message with a delivery still PENDING, RETRYING or
 * DEAD is never touched, and neither is one delivered (or replayed and delivered again) after the cut-off.
 */
@ApplicationScoped
public class JournalPurge {

    @Inject
    Store store;

    /** Deletes at most {@code batch} messages; returns how many it deleted. */
    public int messages(Instant cutoff, int batch) {
        return store.inTransaction(c -> {
            List<String> ids = candidates(c, Timestamp.from(cutoff), batch);
            if (ids.isEmpty()) {
                return 0;
            }
            ids.removeAll(stillNeeded(c, ids, Timestamp.from(cutoff)));
            if (ids.isEmpty()) {
                return 0;
            }
            String in = placeholders(ids.size());
            update(c, "DELETE FROM delivery_attempt WHERE delivery_id IN "
                    + "(SELECT d.id FROM delivery d WHERE d.message_id IN " + in + ")", ids);
            update(c, "DELETE FROM delivery WHERE message_id IN " + in, ids);
            return update(c, "DELETE FROM message WHERE id IN " + in, ids);
        });
    }

    /** Deletes at most {@code batch} inbound rejections recorded before {@code cutoff}; returns how many. */
    public int rejections(Instant cutoff, int batch) {
        return store.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM inbound_rejection WHERE rejected_at < ? "
                    + "ORDER BY rejected_at LIMIT " + batch)) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids.isEmpty() ? 0 : update(c, "DELETE FROM inbound_rejection WHERE id IN "
                    + placeholders(ids.size()), ids);
        });
    }

    /** The oldest messages the purge may take, in receipt order (index ix_message_received). */
    private static List<String> candidates(Connection c, Timestamp cutoff, int batch) throws SQLException {
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

    /** A delivery that keeps its message: not delivered, or delivered after the cut-off. */
    private static final String KEPT = "(d.status <> 'DELIVERED' OR d.delivered_at IS NULL OR d.delivered_at >= ?)";

    /**
     * Locks the candidates' deliveries (in id order, so two purging instances do not deadlock) and names the
     * messages that gained a reason to stay since they were chosen: an operator's replay re-queued a delivery.
     */
    private static Set<String> stillNeeded(Connection c, List<String> ids, Timestamp cutoff) throws SQLException {
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

    private static int update(Connection c, String sql, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
