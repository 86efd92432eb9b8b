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
import java.util.ArrayList;
import java.util.List;

/**
 * Operator replays: puts finished deliveries back in the queue, with an audit row. Part of the outbox
 * ({@link Outbox}); the bulk replay ({@link BulkReplays}) requeues through {@link #requeueRows} too.
 */
@ApplicationScoped
class OutboxReplays {

    @Inject
    Store store;

    List<String> requeue(String messageId, String destination, String actor) {
        return store.inTransaction(c -> {
            List<String> requeued = new ArrayList<>();
            String sql = "SELECT id, destination FROM delivery WHERE message_id = ? AND "
                    + (destination == null ? "status = 'DEAD'" : "destination = ? AND status IN ('DEAD', 'DELIVERED')")
                    + " FOR UPDATE";
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, messageId);
                if (destination != null) {
                    ps.setString(2, destination);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        requeued.add(rs.getString(2));
                    }
                }
            }
            requeueRows(c, ids, null);
            if (!requeued.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO operator_audit (at, actor, action, target, detail) VALUES (?, ?, 'replay', ?, ?)")) {
                    ps.setTimestamp(1, Timestamp.from(Instant.now()));
                    ps.setString(2, actor);
                    ps.setString(3, "message " + messageId);
                    ps.setString(4, "requeued for " + String.join(", ", requeued));
                    ps.executeUpdate();
                }
            }
            return requeued;
        });
    }

    /**
     * Requeues the given deliveries for a fresh round of attempts, due at once on the database's clock (the clock
     * claims compare with); with {@code onlyStatus}, only those still in that status. Returns the ids requeued.
     */
    static List<Long> requeueRows(Connection c, List<Long> ids, String onlyStatus) throws SQLException {
        List<Long> requeued = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET status = 'PENDING', cycle_attempts = 0, "
                + "next_attempt_at = CURRENT_TIMESTAMP, claimed_until = NULL, claimed_by = NULL, claim_token = NULL "
                + "WHERE id = ?" + (onlyStatus == null ? "" : " AND status = ?"))) {
            for (long id : ids) {
                ps.setLong(1, id);
                if (onlyStatus != null) {
                    ps.setString(2, onlyStatus);
                }
                if (ps.executeUpdate() > 0) {
                    requeued.add(id);
                }
            }
        }
        return requeued;
    }
}
