package io.weft.journal;

import io.weft.delivery.OutboxRows;
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
import java.util.List;

/**
 * Deletes journal entries that retention no longer keeps, one bounded batch per transaction: messages received
 * before the cut-off whose every delivery is DELIVERED before it (or that have no delivery), with their deliveries
 * and attempts; and inbound rejections recorded before it. A message with a delivery still PENDING, RETRYING or
 * DEAD is never touched, and neither is one delivered (or replayed and delivered again) after the cut-off. The
 * statements on the deliveries are the outbox's ({@link OutboxRows}); all of it is one transaction per batch.
 */
@ApplicationScoped
public class JournalPurge {

    @Inject
    Store store;

    /** Deletes at most {@code batch} messages; returns how many it deleted. */
    public int messages(Instant cutoff, int batch) {
        return store.inTransaction(c -> {
            List<String> ids = OutboxRows.purgeCandidates(c, Timestamp.from(cutoff), batch);
            if (ids.isEmpty()) {
                return 0;
            }
            ids.removeAll(OutboxRows.stillNeeded(c, ids, Timestamp.from(cutoff)));
            if (ids.isEmpty()) {
                return 0;
            }
            OutboxRows.deleteOf(c, ids);
            return update(c, "DELETE FROM message WHERE id IN " + placeholders(ids.size()), ids);
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
