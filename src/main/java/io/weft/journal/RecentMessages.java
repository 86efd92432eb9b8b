package io.weft.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Journaled envelopes for the shadow tools, on a plain JDBC connection (the application's store or, for the
 * command line's dry run, a connection of its own): the newest of a type, or the newest for a business key.
 */
public final class RecentMessages {
    private RecentMessages() {
    }

    public record Journaled(String id, String type, String subject, String envelope) {
    }

    /** The newest {@code limit} messages of {@code type}, newest first. */
    public static List<Journaled> ofType(Connection c, String type, int limit) throws SQLException {
        return query(c, "SELECT id, type, subject, envelope FROM message WHERE type = ? "
                + "ORDER BY received_at DESC, id DESC LIMIT " + Math.max(1, limit), type);
    }

    /** The newest message with this business key (and type, when not null). */
    public static Optional<Journaled> forKey(Connection c, String subject, String type) throws SQLException {
        List<Journaled> found = type == null
                ? query(c, "SELECT id, type, subject, envelope FROM message WHERE subject = ? "
                        + "ORDER BY received_at DESC, id DESC LIMIT 20", subject)
                : query(c, "SELECT id, type, subject, envelope FROM message WHERE subject = ? AND type = ? "
                        + "ORDER BY received_at DESC, id DESC LIMIT 20", subject, type);
        return found.stream().findFirst();
    }

    /** Every type journaled with this business key, newest message first (one per type). */
    public static List<Journaled> allForKey(Connection c, String subject) throws SQLException {
        List<Journaled> out = new ArrayList<>();
        for (Journaled j : query(c, "SELECT id, type, subject, envelope FROM message WHERE subject = ? "
                + "ORDER BY received_at DESC, id DESC LIMIT 50", subject)) {
            if (out.stream().noneMatch(o -> o.type().equals(j.type()))) {
                out.add(j);
            }
        }
        return out;
    }

    private static List<Journaled> query(Connection c, String sql, String... args) throws SQLException {
        List<Journaled> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Journaled(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }
}
