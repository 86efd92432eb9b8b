package io.weft.shadow;

import io.weft.mapping.JsonDiff;
import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one owner of the shadow tables' SQL (V14 shadow_run/shadow_difference, V15 legacy_comparison/legacy_difference). */
@ApplicationScoped
public class ShadowStore {
    private static final int VALUE = 2000;

    @Inject
    Store store;

    /** One shadow run of a delivery. */
    public record Run(String messageId, String destination, String type, String subject, String liveMapping,
                      String candidateMapping, Comparison comparison) {
    }

    /** A difference as the API shows it. */
    public record Field(String path, String live, String candidate) {
    }

    public record RunView(String messageId, String destination, String type, String subject, String liveMapping,
                          String candidateMapping, String outcome, String error, Instant at, List<Field> differences) {
    }

    /** Counts of one flow (destination and type) by outcome. */
    public record Counts(String destination, String type, Map<String, Long> outcomes) {
    }

    /** Records a run once: false when this message was already compared with this candidate (a retried delivery). */
    public boolean record(Run run) {
        return store.inTransaction(c -> {
            try (PreparedStatement seen = c.prepareStatement("SELECT 1 FROM shadow_run WHERE message_id = ? "
                    + "AND live_mapping = ? AND candidate_mapping = ?")) {
                seen.setString(1, run.messageId());
                seen.setString(2, run.liveMapping());
                seen.setString(3, run.candidateMapping());
                try (ResultSet rs = seen.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            long id = insert(c, "INSERT INTO shadow_run (message_id, destination, type, subject, live_mapping, "
                            + "candidate_mapping, outcome, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    run.messageId(), run.destination(), run.type(), clip(run.subject(), 256), run.liveMapping(),
                    run.candidateMapping(), run.comparison().outcome().name(), run.comparison().error(),
                    Timestamp.from(Instant.now()));
            differences(c, "INSERT INTO shadow_difference (run_id, pointer, live_value, candidate_value) VALUES (?, ?, ?, ?)",
                    id, run.comparison().differences());
            return true;
        });
    }

    /** Records a legacy comparison; {@code messageId} and {@code comparison} are null when Weft has no message. */
    public void recordLegacy(String destination, String businessKey, String type, String messageId, String outcome,
                             List<JsonDiff.Difference> differences) {
        store.inTransaction(c -> {
            long id = insert(c, "INSERT INTO legacy_comparison (destination, business_key, type, message_id, outcome, at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", destination, businessKey, type, messageId, outcome,
                    Timestamp.from(Instant.now()));
            differences(c, "INSERT INTO legacy_difference (comparison_id, pointer, weft_value, legacy_value) "
                    + "VALUES (?, ?, ?, ?)", id, differences);
            return null;
        });
    }

    public List<Counts> counts(String table, String destination) {
        String sql = "SELECT destination, type, outcome, COUNT(*) FROM " + table(table)
                + (destination == null ? "" : " WHERE destination = ?") + " GROUP BY destination, type, outcome "
                + "ORDER BY destination, type, outcome";
        return store.read(c -> {
            Map<List<String>, Map<String, Long>> flows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (destination != null) {
                    ps.setString(1, destination);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        flows.computeIfAbsent(java.util.Arrays.asList(rs.getString(1), rs.getString(2)),
                                k -> new LinkedHashMap<>()).put(rs.getString(3), rs.getLong(4));
                    }
                }
            }
            List<Counts> out = new ArrayList<>();
            flows.forEach((k, v) -> out.add(new Counts(k.get(0), k.get(1), v)));
            return out;
        });
    }

    /** The newest shadow runs (all outcomes, or one), newest first, with their differences. */
    public List<RunView> recentRuns(String destination, String outcome, int limit) {
        return recent("SELECT id, message_id, destination, type, subject, live_mapping, candidate_mapping, outcome, "
                        + "error, at FROM shadow_run", "SELECT pointer, live_value, candidate_value FROM shadow_difference "
                        + "WHERE run_id = ? ORDER BY id", destination, outcome, limit);
    }

    /** The newest legacy comparisons; live is Weft's value, candidate the legacy script's. */
    public List<RunView> recentLegacy(String destination, String outcome, int limit) {
        return recent("SELECT id, message_id, destination, type, business_key, NULL, NULL, outcome, NULL, at "
                        + "FROM legacy_comparison", "SELECT pointer, weft_value, legacy_value FROM legacy_difference "
                        + "WHERE comparison_id = ? ORDER BY id", destination, outcome, limit);
    }

    private List<RunView> recent(String select, String fields, String destination, String outcome, int limit) {
        StringBuilder sql = new StringBuilder(select).append(" WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (destination != null) {
            sql.append(" AND destination = ?");
            args.add(destination);
        }
        if (outcome != null) {
            sql.append(" AND outcome = ?");
            args.add(outcome);
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, Math.min(limit, 500)));
        return store.read(c -> {
            List<RunView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString());
                 PreparedStatement diff = c.prepareStatement(fields)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        diff.setLong(1, rs.getLong(1));
                        List<Field> differences = new ArrayList<>();
                        try (ResultSet d = diff.executeQuery()) {
                            while (d.next()) {
                                differences.add(new Field(d.getString(1), d.getString(2), d.getString(3)));
                            }
                        }
                        Timestamp at = rs.getTimestamp(10);
                        out.add(new RunView(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                at == null ? null : at.toInstant(), differences));
                    }
                }
            }
            return out;
        });
    }

    private static String table(String table) {
        if (!table.equals("shadow_run") && !table.equals("legacy_comparison")) {
            throw new IllegalArgumentException(table);
        }
        return table;
    }

    private static long insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void differences(Connection c, String sql, long id, List<JsonDiff.Difference> differences)
            throws SQLException {
        if (differences == null || differences.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (JsonDiff.Difference d : differences) {
                ps.setLong(1, id);
                ps.setString(2, clip(d.pointer(), 512));
                ps.setString(3, clip(d.left(), VALUE));
                ps.setString(4, clip(d.right(), VALUE));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
