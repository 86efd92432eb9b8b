package io.weft.journal;

import io.weft.delivery.OutboxRows;
import io.weft.envelope.Envelope;
import org.postgresql.PGStatement;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Writes of the journal (message), with the outbox rows born with each message ({@link OutboxRows}). */
public final class Journal {

    /** A message ready to be journaled, with the destinations the router chose for it. */
    public record Entry(Envelope envelope, String envelopeJson, List<String> destinations) {
    }

    private Journal() {
    }

    /** The id of the message already journaled for this source message, if any. */
    public static Optional<String> findBySourceMessage(Connection c, String sourceSystem, String sourceMessageId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM message WHERE source_system = ? AND source_message_id = ?")) {
            ps.setString(1, sourceSystem);
            ps.setString(2, sourceMessageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Journals the messages not journaled yet, with one PENDING delivery per destination each, as JDBC batches,
     * and returns the ids of those inserted. The unique constraint on (source system, source message id) is
     * the dedupe: a message whose source id is journaled already (a re-sent one, or one another instance
     * journaled a moment ago) is skipped by {@code ON CONFLICT DO NOTHING} and gets no deliveries. This needs no
     * look-up before the insert, whose plan would depend on the table's statistics.
     */
    public static Set<String> insertNew(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return Set.of();
        }
        Set<String> inserted = insertMessages(c, entries);
        Map<String, List<String>> deliveries = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (inserted.contains(entry.envelope().id())) {
                deliveries.put(entry.envelope().id(), entry.destinations());
            }
        }
        OutboxRows.insertPending(c, deliveries);
        return inserted;
    }

    private static Set<String> insertMessages(Connection c, List<Entry> entries) throws SQLException {
        int[] counts;
        try (PreparedStatement message = c.prepareStatement("INSERT INTO message (id, source_system, "
                + "source_message_id, type, subject, correlation_id, received_at, envelope, trace_id, traceparent) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Entry entry : entries) {
                Envelope e = entry.envelope();
                message.setString(1, e.id());
                message.setString(2, e.sourceSystem());
                message.setString(3, e.sourceMessageId());
                message.setString(4, e.type());
                message.setString(5, e.subject());
                message.setString(6, e.correlationId());
                message.setTimestamp(7, Timestamp.from(e.time().toInstant()));
                message.setString(8, entry.envelopeJson());
                message.setString(9, e.traceId());
                message.setString(10, e.traceparent());
                message.addBatch();
            }
            counts = message.executeBatch();
        }
        Set<String> inserted = new HashSet<>();
        boolean countsKnown = true;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                countsKnown = false;
            } else if (counts[i] > 0) {
                inserted.add(entries.get(i).envelope().id());
            }
        }
        if (countsKnown) {
            return inserted;
        }
        // The driver sent the batch as one multi-row insert (pgjdbc reWriteBatchedInserts) and reports no count
        // per row: ask by primary key which of the new ids are there. Planned for each call, with its ids: a plan
        // cached while the table was nearly empty would scan the whole table (seen: 9 ms a batch at 15,000 rows).
        inserted.clear();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM message WHERE id = ANY(?)")) {
            if (ps.isWrapperFor(PGStatement.class)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            Array ids = c.createArrayOf("VARCHAR", entries.stream().map(e -> e.envelope().id()).toArray());
            try {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getString(1));
                    }
                }
            } finally {
                ids.free();
            }
        }
        return inserted;
    }
}
