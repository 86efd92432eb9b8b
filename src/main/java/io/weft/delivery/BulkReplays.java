package io.weft.delivery;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bulk replay in two steps (V12): a preview stores the exact DEAD deliveries a filter matched and shows what a
 * replay would do; confirming it requeues those of them still DEAD ({@link OutboxReplays#requeueRows}) and marks
 * every one handled, so a second confirmation queues nothing. A preview older than its time to live is refused.
 */
@ApplicationScoped
public class BulkReplays {

    public record Preview(String previewId, int count, List<String> businessKeys, List<String> destinations,
                          List<String> messageIds) {
    }

    public record Confirmed(int replayed, int alreadyQueued, String destination, String filter) {
    }

    /** The preview is older than its time to live. */
    public static final class Expired extends RuntimeException {
        public Expired(String id, Duration ttl) {
            super("Preview " + id + " is older than " + ttl.toMinutes() + " minutes; preview again");
        }
    }

    @Inject
    Store store;
    @Inject
    DeadDeliveries dead;
    @ConfigProperty(name = "weft.replay.preview-ttl", defaultValue = "15m")
    Duration ttl;

    public Preview preview(DeadDeliveries.Filter filter, String filterText, String actor) {
        String id = UUID.randomUUID().toString();
        List<DeadDeliveries.Dead> matched = store.inTransaction(c -> {
            List<DeadDeliveries.Dead> rows = dead.find(c, filter);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replay_preview (id, created_at, created_by, "
                    + "destination, filter_text) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.setString(3, actor);
                ps.setString(4, filter.destination());
                ps.setString(5, OutboxAttempts.clip(filterText));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO replay_preview_delivery (preview_id, delivery_id) VALUES (?, ?)")) {
                for (DeadDeliveries.Dead d : rows) {
                    ps.setString(1, id);
                    ps.setLong(2, d.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return rows;
        });
        return new Preview(id, matched.size(),
                matched.stream().map(DeadDeliveries.Dead::businessKey).filter(k -> k != null).distinct().limit(50).toList(),
                matched.stream().map(DeadDeliveries.Dead::destination).distinct().sorted().toList(),
                matched.stream().map(DeadDeliveries.Dead::messageId).distinct().limit(1000).toList());
    }

    /** Replays a preview's deliveries still DEAD; empty when there is no such preview. */
    public Optional<Confirmed> confirm(String previewId, String actor) {
        return store.inTransaction(c -> {
            String destination;
            String filter;
            // The row lock makes two confirmations of one preview run one after the other.
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at, destination, filter_text "
                    + "FROM replay_preview WHERE id = ? FOR UPDATE")) {
                ps.setString(1, previewId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    if (rs.getTimestamp(1).toInstant().plus(ttl).isBefore(Instant.now())) {
                        throw new Expired(previewId, ttl);
                    }
                    destination = rs.getString(2);
                    filter = rs.getString(3);
                }
            }
            List<Long> pending = new ArrayList<>();
            int total = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT delivery_id, replayed FROM replay_preview_delivery WHERE preview_id = ?")) {
                ps.setString(1, previewId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        total++;
                        if (!rs.getBoolean(2)) {
                            pending.add(rs.getLong(1));
                        }
                    }
                }
            }
            int replayed = OutboxReplays.requeueRows(c, pending, Outbox.Status.DEAD.name()).size();
            markHandled(c, previewId, actor);
            return Optional.of(new Confirmed(replayed, total - replayed, destination, filter));
        });
    }

    private static void markHandled(Connection c, String previewId, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE replay_preview_delivery SET replayed = TRUE WHERE preview_id = ? AND replayed = FALSE")) {
            ps.setString(1, previewId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE replay_preview SET confirmed_at = ?, confirmed_by = ? "
                + "WHERE id = ? AND confirmed_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, actor);
            ps.setString(3, previewId);
            ps.executeUpdate();
        }
    }
}
