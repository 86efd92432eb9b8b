package io.weft.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.delivery.OutboxReads;
import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reads behind the operations API: search the journal, show a message with its deliveries and attempts (read
 * by the outbox's {@link OutboxReads}, which owns the delivery table's SQL).
 */
@ApplicationScoped
public class JournalQueries {

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

    public record MessageDetail(MessageSummary message, JsonNode envelope, List<OutboxReads.DeliveryView> deliveries) {
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
        where(sql, args, OutboxReads.HAS_DESTINATION, q.destination());
        if (q.before() != null) {
            // No such message: the subquery is NULL, the comparison unknown, the page empty (as before).
            sql.append(" AND (m.received_at, m.id) < ((SELECT b.received_at FROM message b WHERE b.id = ?), ?)");
            args.add(q.before());
            args.add(q.before());
        }
        if (q.status() != null) {
            sql.append(" AND ").append(OutboxReads.hasStatus(q.status()));
        }
        where(sql, args, "m.received_at >= ?", q.since() == null ? null : Timestamp.from(q.since()));
        where(sql, args, "m.received_at < ?", q.until() == null ? null : Timestamp.from(q.until()));
        String order = " ORDER BY m.received_at DESC, m.id DESC";
        return "SELECT m.id, m.type, m.source_system, m.subject, m.correlation_id, m.received_at, "
                + OutboxReads.MESSAGE_STATUS + " AS status, m.trace_id FROM (" + sql + order + " LIMIT " + q.limit() + ") m" + order;
    }

    public Optional<MessageDetail> find(String id) {
        return store.read(c -> {
            MessageSummary summary;
            String envelope;
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.type, m.source_system, m.subject, "
                    + "m.correlation_id, m.received_at, " + OutboxReads.MESSAGE_STATUS + " AS status, m.trace_id, m.envelope "
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
            return Optional.of(new MessageDetail(summary, parse(envelope), OutboxReads.ofMessage(c, id)));
        });
    }

    public List<OutboxReads.DeliveryView> deliveries(String status, String destination, int limit) {
        return store.read(c -> OutboxReads.byStatus(c, status, destination, limit));
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
