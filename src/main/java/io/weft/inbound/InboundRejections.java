package io.weft.inbound;

import io.weft.observe.WeftMetrics;
import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Inbound messages that no caller can be told about (rows of dropped files today; MQTT messages and polled rows
 * can use the same table) and that could not be published: recorded in {@code inbound_rejection} and served at
 * {@code GET /api/rejections}. Recording is idempotent per source system and source message id, so a source
 * that is read again after a restart does not list its rejections twice.
 */
@ApplicationScoped
public class InboundRejections {
    private static final int PROBLEM_MAX = 4000;
    private static final int EXCERPT_MAX = 2000;

    /** One refused source message. {@code origin}: file name, topic or table; {@code locator}: e.g. "line 7". */
    public record Rejection(long id, Instant rejectedAt, String system, String routeId, String origin, String locator,
                            String sourceMessageId, String reason, String problem, String excerpt) {
    }

    @Inject
    Store store;
    @Inject
    WeftMetrics metrics;

    /** Records a rejection; returns false if this source message was recorded as rejected before. */
    public boolean record(String system, String routeId, String origin, String locator, String sourceMessageId,
                          WeftMetrics.Rejection reason, String problem, String excerpt) {
        boolean recorded = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_rejection (rejected_at, source_system, "
                    + "route_id, origin, locator, source_message_id, reason, problem, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, system);
                ps.setString(3, routeId);
                ps.setString(4, cut(origin, 512));
                ps.setString(5, cut(locator, 128));
                ps.setString(6, cut(sourceMessageId, 256));
                ps.setString(7, reason.name().toLowerCase());
                ps.setString(8, cut(problem, PROBLEM_MAX));
                ps.setString(9, cut(excerpt, EXCERPT_MAX));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false; // recorded before (unique source system + source message id)
                }
                throw e;
            }
        });
        if (recorded) {
            metrics.rejected(system, reason);
        }
        return recorded;
    }

    public List<Rejection> search(String system, String origin, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, rejected_at, source_system, route_id, origin, locator, "
                + "source_message_id, reason, problem, excerpt FROM inbound_rejection WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (system != null) {
            sql.append(" AND source_system = ?");
            args.add(system);
        }
        if (origin != null) {
            sql.append(" AND origin = ?");
            args.add(origin);
        }
        if (since != null) {
            sql.append(" AND rejected_at >= ?");
            args.add(Timestamp.from(since));
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(limit);
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<Rejection> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new Rejection(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getString(9), rs.getString(10)));
                    }
                }
                return result;
            }
        });
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
