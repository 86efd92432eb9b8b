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
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The DEAD deliveries with what the failures page and the bulk replay need of each: its last attempt's outcome
 * class and error (and that error's {@link ErrorSignature}), the message's type, business key and time.
 * Read through the status index (V6; on PostgreSQL the failed deliveries' index, V18); at most {@link #MAX} rows per
 * query, the most recent first.
 */
@ApplicationScoped
public class DeadDeliveries {
    static final int MAX = 10_000;

    public record Dead(long id, String destination, String messageId, String outcomeClass, String error,
                       String signature, Instant failedAt, String type, String businessKey, Instant receivedAt) {
    }

    /** Which DEAD deliveries: null fields match any; {@code from}/{@code to} compare the message's receipt. */
    public record Filter(String destination, String outcomeClass, String error, String type, Instant from, Instant to,
                         List<String> messageIds) {
    }

    public record Group(String destination, String outcomeClass, String error, long count, Instant oldest,
                        Instant newest, List<String> messageIds) {
    }

    @Inject
    Store store;

    /** DEAD deliveries grouped by destination, outcome class and error signature, the largest group first. */
    public List<Group> groups() {
        Map<List<String>, List<Dead>> byCause = find(new Filter(null, null, null, null, null, null, null)).stream()
                .collect(Collectors.groupingBy(d -> List.of(d.destination(), String.valueOf(d.outcomeClass()),
                        d.signature())));
        List<Group> groups = new ArrayList<>();
        byCause.forEach((key, dead) -> groups.add(new Group(key.get(0), dead.get(0).outcomeClass(), key.get(2),
                dead.size(), min(dead, Dead::failedAt), max(dead, Dead::failedAt),
                dead.stream().map(Dead::messageId).distinct().limit(20).toList())));
        groups.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : (a.destination() + a.error()).compareTo(b.destination() + b.error()));
        return groups;
    }

    public List<Dead> find(Filter f) {
        return store.read(c -> find(c, f));
    }

    List<Dead> find(Connection c, Filter f) throws SQLException {
        List<Object> args = new ArrayList<>();
        String sql = findSql(f, args);
        List<Dead> dead = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String error = rs.getString(5);
                    Timestamp failedAt = rs.getTimestamp(6);
                    Instant receivedAt = rs.getTimestamp(9).toInstant();
                    dead.add(new Dead(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), error,
                            ErrorSignature.of(error), failedAt == null ? receivedAt : failedAt.toInstant(),
                            rs.getString(7), rs.getString(8), receivedAt));
                }
            }
        }
        if (f.error() != null) {
            String wanted = ErrorSignature.of(f.error());
            dead.removeIf(d -> !d.signature().equals(wanted));
        }
        return dead;
    }

    /**
     * The query {@link #find} runs, its arguments added to {@code args}. On PostgreSQL the failed deliveries' index
     * (V18) serves it newest first.
     */
    static String findSql(Filter f, List<Object> args) {
        StringBuilder sql = new StringBuilder("SELECT d.id, d.destination, d.message_id, a.outcome_class, "
                + "COALESCE(a.error_message, d.last_error), a.started_at, m.type, m.subject, m.received_at "
                + "FROM delivery d JOIN message m ON m.id = d.message_id "
                + "LEFT JOIN delivery_attempt a ON a.delivery_id = d.id AND a.attempt = d.attempts "
                + "WHERE d.status = 'DEAD'");
        condition(sql, args, " AND d.destination = ?", f.destination());
        condition(sql, args, " AND a.outcome_class = ?", f.outcomeClass());
        condition(sql, args, " AND m.type = ?", f.type());
        condition(sql, args, " AND m.received_at >= ?", f.from() == null ? null : Timestamp.from(f.from()));
        condition(sql, args, " AND m.received_at < ?", f.to() == null ? null : Timestamp.from(f.to()));
        if (f.messageIds() != null && !f.messageIds().isEmpty()) {
            sql.append(" AND d.message_id IN (").append(String.join(", ", f.messageIds().stream().map(id -> "?").toList()))
                    .append(')');
            args.addAll(f.messageIds());
        }
        sql.append(" ORDER BY d.id DESC LIMIT ").append(MAX);
        return sql.toString();
    }

    private static void condition(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            args.add(value);
        }
    }

    private static Instant min(List<Dead> dead, Function<Dead, Instant> at) {
        return dead.stream().map(at).min(Instant::compareTo).orElse(null);
    }

    private static Instant max(List<Dead> dead, Function<Dead, Instant> at) {
        return dead.stream().map(at).max(Instant::compareTo).orElse(null);
    }
}
