package io.weft.delivery;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Traffic per flow (source system, canonical type, destination) over a window, from the journal and the outbox:
 * deliveries of messages received in the window, how many were delivered or are DEAD, their failed attempts, the
 * 95th percentile from acceptance to delivery, and a trend of messages in equal buckets. Every query starts from
 * the journal's receipt index ({@code ix_message_received}) and joins deliveries and attempts by their keys; the
 * SQL (EXTRACT(EPOCH ...), PERCENTILE_CONT) runs on H2 and PostgreSQL alike.
 */
@ApplicationScoped
public class FlowStatistics {

    public record Flow(String source, String type, String destination) {
    }

    public static final class Counts {
        public long messages;
        public long delivered;
        public long dead;
        public long attempts;
        public long failedAttempts;
        public Long p95LatencyMillis;
        public final long[] trend;

        Counts(int buckets) {
            trend = new long[buckets];
        }

        /** A flow without traffic in the window. */
        public static Counts none(int buckets) {
            return new Counts(buckets);
        }

        public double failureRate() {
            return attempts == 0 ? 0.0 : Math.round(1000.0 * failedAttempts / attempts) / 1000.0;
        }
    }

    private static final String FLOW = "m.source_system, m.type, d.destination";
    private static final String FROM = " FROM message m JOIN delivery d ON d.message_id = m.id WHERE m.received_at >= ?";

    @Inject
    Store store;

    /** The flows with traffic in the {@code window} before now, with {@code buckets} trend buckets. */
    public Map<Flow, Counts> over(Duration window, int buckets) {
        Instant since = Instant.now().minus(window);
        return store.read(c -> {
            Map<Flow, Counts> flows = new HashMap<>();
            volumes(c, since, flows, buckets);
            attempts(c, since, flows, buckets);
            trend(c, since, window, flows, buckets);
            return flows;
        });
    }

    /** The volume query (one parameter: the window's start); public so a test can read its plan on each store. */
    public static String volumeQuery() {
        return "SELECT " + FLOW + ", COUNT(*), SUM(CASE WHEN d.status = 'DELIVERED' THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN d.status = 'DEAD' THEN 1 ELSE 0 END), PERCENTILE_CONT(0.95) WITHIN GROUP "
                + "(ORDER BY EXTRACT(EPOCH FROM d.delivered_at) - EXTRACT(EPOCH FROM m.received_at))"
                + FROM + " GROUP BY " + FLOW;
    }

    private static void volumes(Connection c, Instant since, Map<Flow, Counts> flows, int buckets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(volumeQuery())) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Counts counts = of(flows, rs, buckets);
                    counts.messages = rs.getLong(4);
                    counts.delivered = rs.getLong(5);
                    counts.dead = rs.getLong(6);
                    double p95 = rs.getDouble(7);
                    counts.p95LatencyMillis = rs.wasNull() ? null : Math.round(p95 * 1000);
                }
            }
        }
    }

    private static void attempts(Connection c, Instant since, Map<Flow, Counts> flows, int buckets) throws SQLException {
        String sql = "SELECT " + FLOW + ", COUNT(*), SUM(CASE WHEN a.outcome = 'FAILURE' THEN 1 ELSE 0 END) "
                + "FROM message m JOIN delivery d ON d.message_id = m.id JOIN delivery_attempt a ON a.delivery_id = d.id "
                + "WHERE m.received_at >= ? GROUP BY " + FLOW;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Counts counts = of(flows, rs, buckets);
                    counts.attempts = rs.getLong(4);
                    counts.failedAttempts = rs.getLong(5);
                }
            }
        }
    }

    private static void trend(Connection c, Instant since, Duration window, Map<Flow, Counts> flows, int buckets)
            throws SQLException {
        // Numbers computed here, not input: inlined so that the bucket expression groups alike on both stores.
        long start = since.getEpochSecond();
        double width = Math.max(1.0, window.toSeconds() / (double) buckets);
        String bucket = "FLOOR((EXTRACT(EPOCH FROM m.received_at) - " + start + ") / " + width + ")";
        String sql = "SELECT " + FLOW + ", " + bucket + ", COUNT(*)" + FROM + " GROUP BY " + FLOW + ", " + bucket;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = (int) Math.max(0, Math.min(buckets - 1, rs.getLong(4)));
                    of(flows, rs, buckets).trend[i] += rs.getLong(5);
                }
            }
        }
    }

    private static Counts of(Map<Flow, Counts> flows, ResultSet rs, int buckets) throws SQLException {
        return flows.computeIfAbsent(new Flow(rs.getString(1), rs.getString(2), rs.getString(3)), f -> new Counts(buckets));
    }
}
