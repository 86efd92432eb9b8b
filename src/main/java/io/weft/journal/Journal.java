package io.weft.journal;

import io.weft.envelope.Envelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Writes of the journal (message) and of the outbox rows born with each message. */
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

    /** Inserts the messages and one PENDING delivery per destination, as JDBC batches. */
    public static void insert(Connection c, List<Entry> entries) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement message = c.prepareStatement("INSERT INTO message (id, source_system, "
                + "source_message_id, type, subject, correlation_id, received_at, envelope, trace_id, traceparent) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement delivery = c.prepareStatement("INSERT INTO delivery (message_id, destination, "
                     + "status, attempts, cycle_attempts, next_attempt_at, created_at) "
                     + "VALUES (?, ?, 'PENDING', 0, 0, ?, ?)")) {
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
                for (String destination : entry.destinations()) {
                    delivery.setString(1, e.id());
                    delivery.setString(2, destination);
                    delivery.setTimestamp(3, now);
                    delivery.setTimestamp(4, now);
                    delivery.addBatch();
                }
            }
            message.executeBatch();
            delivery.executeBatch();
        }
    }
}
