package io.weft.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox as the journal's reads see it: a message's status from its deliveries, the conditions that find
 * messages by their deliveries, and the deliveries with their attempts. The journal's search puts these pieces
 * into its own statement; they run inside the caller's connection.
 */
public final class OutboxReads {

    /** A message's status is the worst of its deliveries' (DEAD > RETRYING > PENDING > DELIVERED). */
    public static final String MESSAGE_STATUS = "CASE "
            + "WHEN EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 'DEAD') THEN 'DEAD' "
            + "WHEN EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 'RETRYING') THEN 'RETRYING' "
            + "WHEN EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 'PENDING') THEN 'PENDING' "
            + "ELSE 'DELIVERED' END";

    /** Message {@code m} has a delivery to the destination given as the parameter. */
    public static final String HAS_DESTINATION =
            "EXISTS (SELECT 1 FROM delivery t WHERE t.message_id = m.id AND t.destination = ?)";

    public record AttemptView(int attempt, Instant startedAt, long durationMs, String outcome, String outcomeClass,
                              Integer httpStatus,
                              String errorClass, String errorMessage, String responseExcerpt, String instance) {
    }

    public record DeliveryView(long id, String messageId, String destination, String status, int attempts,
                               String lastError, Instant nextAttemptAt, Instant deliveredAt, String type,
                               String subject, List<AttemptView> attemptLog) {
    }

    private OutboxReads() {
    }

    /**
     * Messages {@code m} whose status is {@code status}, written so that the rare statuses are found from the
     * deliveries in that status (index {@code ix_delivery_status_message}) and each candidate is checked only
     * against its own deliveries, instead of computing the status of every message in the journal. DELIVERED, the
     * common status, is checked per message while the newest messages are read in time order, which stops at the
     * limit.
     */
    public static String hasStatus(String status) {
        String worse = switch (status) {
            case "DEAD" -> "";
            case "RETRYING" -> "'DEAD'";
            case "PENDING" -> "'DEAD', 'RETRYING'";
            case "DELIVERED" -> null;
            default -> throw new IllegalArgumentException("unknown status " + status);
        };
        if (worse == null) {
            return "NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status <> 'DELIVERED')";
        }
        String condition = "m.id IN (SELECT s.message_id FROM delivery s WHERE s.status = '" + status + "')";
        return worse.isEmpty() ? condition : condition
                + " AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status IN (" + worse + "))";
    }

    /** A message's deliveries, each with every attempt. */
    public static List<DeliveryView> ofMessage(Connection c, String messageId) throws SQLException {
        return deliveries(c, "d.message_id = ?", messageId, null, Integer.MAX_VALUE, true);
    }

    /** Deliveries by status (null: any) and destination (null: any), newest first, without their attempts. */
    public static List<DeliveryView> byStatus(Connection c, String status, String destination, int limit)
            throws SQLException {
        return deliveries(c, statusCondition(status), status, destination, limit, false);
    }

    /** The statement {@link #byStatus} runs (on PostgreSQL, DEAD and RETRYING through the failed deliveries' index, V18). */
    static String byStatusSql(String status, String destination, int limit) {
        return deliveriesSql(statusCondition(status), destination, limit);
    }

    private static String statusCondition(String status) {
        return status == null ? "1 = 1" : "d.status = ?";
    }

    private static String deliveriesSql(String condition, String destination, int limit) {
        return "SELECT d.id, d.message_id, d.destination, d.status, d.attempts, d.last_error, "
                + "d.next_attempt_at, d.delivered_at, m.type, m.subject FROM delivery d "
                + "JOIN message m ON m.id = d.message_id WHERE " + condition
                + (destination == null ? "" : " AND d.destination = ?") + " ORDER BY d.id DESC LIMIT " + limit;
    }

    private static List<DeliveryView> deliveries(Connection c, String condition, String arg, String destination,
                                                 int limit, boolean withAttempts) throws SQLException {
        String sql = deliveriesSql(condition, destination, limit);
        Map<Long, DeliveryView> views = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (arg != null) {
                ps.setString(i++, arg);
            }
            if (destination != null) {
                ps.setString(i, destination);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    views.put(id, new DeliveryView(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)),
                            rs.getString(9), rs.getString(10), withAttempts ? new ArrayList<>() : null));
                }
            }
        }
        if (withAttempts) {
            for (DeliveryView view : views.values()) {
                view.attemptLog().addAll(attempts(c, view.id()));
            }
        }
        return List.copyOf(views.values());
    }

    private static List<AttemptView> attempts(Connection c, long deliveryId) throws SQLException {
        List<AttemptView> attempts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, started_at, duration_ms, outcome, http_status, "
                + "error_class, error_message, response_excerpt, instance, outcome_class FROM delivery_attempt "
                + "WHERE delivery_id = ? ORDER BY id")) {
            ps.setLong(1, deliveryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer httpStatus = rs.getObject(5) == null ? null : rs.getInt(5);
                    attempts.add(new AttemptView(rs.getInt(1), instant(rs.getTimestamp(2)), rs.getLong(3),
                            rs.getString(4), rs.getString(10), httpStatus, rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9)));
                }
            }
        }
        return attempts;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
