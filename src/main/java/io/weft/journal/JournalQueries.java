package io.weft.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;

/** The reads behind the operations API: search the journal, show a message with its deliveries and attempts. */
@ApplicationScoped
public class JournalQueries {

    /** A message's status is the worst of its deliveries' (DEAD > RETRYING > PENDING > DELIVERED). */
    static final String MESSAGE_STATUS = "CASE "
            + "WHEN EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 'DEAD') THEN 'DEAD' "
            + "WHEN EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 'RETRYING') THEN 'RETRYING' "
            + "WHEN EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.status = 'PENDING') THEN 'PENDING' "
            + "ELSE 'DELIVERED' END";

    /**
     * Messages whose status is {@code status}, written so that the rare statuses are found from the deliveries in
     * that status (index {@code ix_delivery_status_message}) and each candidate is checked only against its own
     * deliveries, instead of computing the status of every message in the journal. DELIVERED, the common status,
     * is checked per message while the newest messages are read in time order, which stops at the limit.
     */
    static String hasStatus(String status) {
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

    /**
     * What to search for; null means any. {@code destination}: a message with a delivery to it. {@code before}: the
     * messages after this one in the search's order (newest first), the next page's cursor: a time alone would skip
     * messages received in the same millisecond as a page's last one.
     */
    public record Search(String businessKey, String type, String source, String destination, String status,
                         Instant since, Instant until, String before, int limit) {
    }

    public record MessageSummary(String id, String type, String source, String subject, String correlationId,
                                 Instant receivedAt, String status, String traceId) {
    }

    public record AttemptView(int attempt, Instant startedAt, long durationMs, String outcome, String outcomeClass,
                              Integer httpStatus,
                              String errorClass, String errorMessage, String responseExcerpt, String instance) {
    }

    public record DeliveryView(long id, String messageId, String destination, String status, int attempts,
                               String lastError, Instant nextAttemptAt, Instant deliveredAt, String type,
                               String subject, List<AttemptView> attemptLog) {
    }

    public record MessageDetail(MessageSummary message, JsonNode envelope, List<DeliveryView> deliveries) {
    }

    @Inject
    Store store;
    @Inject
    ObjectMapper json;

    public List<MessageSummary> search(Search q) {
        List<Object> args = new ArrayList<>();
        String sql = searchSql(q, args);
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<MessageSummary> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(summary(rs));
                    }
                }
                return found;
            }
        });
    }

    /**
     * The search's SQL; its parameters are added to {@code args}. The page is chosen first and the status computed
     * for its rows only: with the status in the same SELECT, PostgreSQL plans its subqueries for every message the
     * filter may match (at 10 M messages it hashed all DEAD deliveries for each search). The cursor is a row
     * comparison, which PostgreSQL reads as a range of the index on (received_at, id), so a page deep in the journal
     * starts at its cursor instead of filtering every newer message.
     */
    static String searchSql(Search q, List<Object> args) {
        StringBuilder sql = new StringBuilder("SELECT m.id, m.type, m.source_system, m.subject, m.correlation_id, "
                + "m.received_at, m.trace_id FROM message m WHERE 1 = 1");
        where(sql, args, "m.subject = ?", q.businessKey());
        where(sql, args, "m.type = ?", q.type());
        where(sql, args, "m.source_system = ?", q.source());
        where(sql, args, "EXISTS (SELECT 1 FROM delivery t WHERE t.message_id = m.id AND t.destination = ?)",
                q.destination());
        if (q.before() != null) {
            // No such message: the subquery is NULL, the comparison unknown, the page empty (as before).
            sql.append(" AND (m.received_at, m.id) < ((SELECT b.received_at FROM message b WHERE b.id = ?), ?)");
            args.add(q.before());
            args.add(q.before());
        }
        if (q.status() != null) {
            sql.append(" AND ").append(hasStatus(q.status()));
        }
        where(sql, args, "m.received_at >= ?", q.since() == null ? null : Timestamp.from(q.since()));
        where(sql, args, "m.received_at < ?", q.until() == null ? null : Timestamp.from(q.until()));
        String order = " ORDER BY m.received_at DESC, m.id DESC";
        return "SELECT m.id, m.type, m.source_system, m.subject, m.correlation_id, m.received_at, " + MESSAGE_STATUS
                + " AS status, m.trace_id FROM (" + sql + order + " LIMIT " + q.limit() + ") m" + order;
    }

    public Optional<MessageDetail> find(String id) {
        return store.read(c -> {
            MessageSummary summary;
            String envelope;
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.type, m.source_system, m.subject, "
                    + "m.correlation_id, m.received_at, " + MESSAGE_STATUS + " AS status, m.trace_id, m.envelope "
                    + "FROM message m WHERE m.id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = summary(rs);
                    envelope = rs.getString(9);
                }
            }
            List<DeliveryView> deliveries = deliveries(c, "d.message_id = ?", id, null, Integer.MAX_VALUE, true);
            return Optional.of(new MessageDetail(summary, parse(envelope), deliveries));
        });
    }

    public List<DeliveryView> deliveries(String status, String destination, int limit) {
        return store.read(c -> deliveries(c, status == null ? "1 = 1" : "d.status = ?", status, destination, limit,
                false));
    }

    private List<DeliveryView> deliveries(Connection c, String condition, String arg, String destination, int limit,
                                          boolean withAttempts) throws SQLException {
        String sql = "SELECT d.id, d.message_id, d.destination, d.status, d.attempts, d.last_error, "
                + "d.next_attempt_at, d.delivered_at, m.type, m.subject FROM delivery d "
                + "JOIN message m ON m.id = d.message_id WHERE " + condition
                + (destination == null ? "" : " AND d.destination = ?") + " ORDER BY d.id DESC LIMIT " + limit;
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

    private static void where(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }

    private static MessageSummary summary(ResultSet rs) throws SQLException {
        return new MessageSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), instant(rs.getTimestamp(6)), rs.getString(7), rs.getString(8));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
