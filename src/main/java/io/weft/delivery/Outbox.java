package io.weft.delivery;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox table as the dispatcher sees it: claim due deliveries under a lease, record attempts, release,
 * requeue. On PostgreSQL the claim skips rows another instance holds locked, so instances share the work.
 */
@ApplicationScoped
public class Outbox {

    public enum Status { PENDING, RETRYING, DELIVERED, DEAD }

    /**
     * A delivery this instance holds, with the envelope to deliver and what the dispatcher needs to know of
     * the message (read from the journal's columns, so nothing has to parse the envelope on the hot path).
     */
    public record Claimed(long id, String messageId, String destination, int attempts, int cycleAttempts,
                          String envelopeJson, String type, String subject, String correlationId,
                          String traceparent, Instant receivedAt) {
    }

    private static final String MESSAGE_COLUMNS = "m.envelope, m.type, m.subject, m.correlation_id, m.traceparent, "
            + "m.received_at";

    /** The outcome of one attempt, and the state the delivery moves to. */
    public record Attempt(Claimed delivery, Instant startedAt, long durationMs, boolean success, Status next,
                          Instant nextAttemptAt, Integer httpStatus, String errorClass, String errorMessage,
                          String responseExcerpt) {
    }

    /** Due: queued, its time has come, and no live lease. Finished deliveries have no next_attempt_at (V4). */
    private static final String DUE = "destination = ? AND next_attempt_at <= ? AND status IN ('PENDING', 'RETRYING') "
            + "AND (claimed_until IS NULL OR claimed_until < ?)";

    @Inject
    Store store;

    public List<Claimed> claim(String destination, int limit, Instant leaseUntil, String instance) {
        Instant now = Instant.now();
        return store.inTransaction(c -> store.dialect() == Store.Dialect.POSTGRESQL
                ? claimPostgres(c, destination, limit, now, leaseUntil, instance)
                : claimPortable(c, destination, limit, now, leaseUntil, instance));
    }

    /** One round trip: lock due rows nobody else holds, lease them, and return them with their envelopes. */
    private List<Claimed> claimPostgres(Connection c, String destination, int limit, Instant now, Instant leaseUntil,
                                        String instance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH claimed AS (UPDATE delivery SET claimed_until = ?, "
                + "claimed_by = ? WHERE id IN (SELECT id FROM delivery WHERE " + DUE
                + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "RETURNING id, message_id, destination, attempts, cycle_attempts) "
                + "SELECT c.id, c.message_id, c.destination, c.attempts, c.cycle_attempts, " + MESSAGE_COLUMNS + " "
                + "FROM claimed c JOIN message m ON m.id = c.message_id ORDER BY c.id")) {
            ps.setTimestamp(1, Timestamp.from(leaseUntil));
            ps.setString(2, instance);
            ps.setString(3, destination);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setInt(6, limit);
            return readClaimed(ps);
        }
    }

    /** The embedded store serves one instance: lock, then lease, in the same transaction. */
    private List<Claimed> claimPortable(Connection c, String destination, int limit, Instant now, Instant leaseUntil,
                                        String instance) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE " + DUE
                + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE")) {
            ps.setString(1, destination);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE delivery SET claimed_until = ?, claimed_by = ? WHERE id = ?")) {
            for (long id : ids) {
                ps.setTimestamp(1, Timestamp.from(leaseUntil));
                ps.setString(2, instance);
                ps.setLong(3, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.message_id, d.destination, d.attempts, "
                + "d.cycle_attempts, " + MESSAGE_COLUMNS + " FROM delivery d JOIN message m ON m.id = d.message_id "
                + "WHERE d.id = ANY(?) ORDER BY d.id")) {
            ps.setArray(1, c.createArrayOf("BIGINT", ids.toArray()));
            return readClaimed(ps);
        }
    }

    private static List<Claimed> readClaimed(PreparedStatement ps) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getTimestamp(11).toInstant()));
            }
        }
        return claimed;
    }

    /**
     * Records attempts and hands back deliveries that were claimed but not tried (their destination
     * failed earlier in the batch), in one transaction.
     */
    public void record(List<Attempt> attempts, List<Claimed> untried, Instant retryUntriedAt, String instance) {
        if (attempts.isEmpty() && untried.isEmpty()) {
            return;
        }
        store.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE delivery SET status = ?, attempts = attempts + 1, "
                    + "cycle_attempts = cycle_attempts + 1, next_attempt_at = ?, last_error = ?, delivered_at = ?, "
                    + "claimed_until = NULL, claimed_by = NULL WHERE id = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO delivery_attempt (delivery_id, attempt, "
                         + "started_at, duration_ms, outcome, http_status, error_class, error_message, "
                         + "response_excerpt, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Attempt a : attempts) {
                    update.setString(1, a.next().name());
                    update.setTimestamp(2, a.next() == Status.RETRYING ? Timestamp.from(a.nextAttemptAt()) : null);
                    update.setString(3, a.success() ? null : clip(a.errorClass() + ": " + a.errorMessage()));
                    update.setTimestamp(4, a.success() ? Timestamp.from(a.startedAt().plusMillis(a.durationMs())) : null);
                    update.setLong(5, a.delivery().id());
                    update.addBatch();
                    insert.setLong(1, a.delivery().id());
                    insert.setInt(2, a.delivery().attempts() + 1);
                    insert.setTimestamp(3, Timestamp.from(a.startedAt()));
                    insert.setLong(4, a.durationMs());
                    insert.setString(5, a.success() ? "SUCCESS" : "FAILURE");
                    if (a.httpStatus() == null) {
                        insert.setNull(6, Types.INTEGER);
                    } else {
                        insert.setInt(6, a.httpStatus());
                    }
                    insert.setString(7, clip(a.errorClass()));
                    insert.setString(8, clip(a.errorMessage()));
                    insert.setString(9, clip(a.responseExcerpt()));
                    insert.setString(10, instance);
                    insert.addBatch();
                }
                update.executeBatch();
                insert.executeBatch();
            }
            release(c, untried, retryUntriedAt);
            return null;
        });
    }

    private static void release(Connection c, List<Claimed> deliveries, Instant nextAttemptAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET claimed_until = NULL, claimed_by = NULL, "
                + "next_attempt_at = ? WHERE id = ?")) {
            for (Claimed d : deliveries) {
                ps.setTimestamp(1, Timestamp.from(nextAttemptAt));
                ps.setLong(2, d.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * At start, takes back the leases a previous run of this instance held when it stopped or crashed, so
     * its unfinished deliveries resume at once instead of when the lease runs out. The embedded store has
     * no other instance, so there every lease is released.
     */
    public int releaseLeasesOf(String instance) {
        if (!store.isShared()) {
            return store.inTransaction(c -> {
                try (var statement = c.createStatement()) {
                    return statement.executeUpdate(
                            "UPDATE delivery SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by IS NOT NULL");
                }
            });
        }
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE delivery SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by = ?")) {
                ps.setString(1, instance);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Puts deliveries of a message back in the queue for a fresh round of attempts: without a destination,
     * every DEAD delivery; with one, that delivery whatever its state unless it is still queued. Returns the
     * destinations requeued, and records the operator action in the audit table in the same transaction.
     */
    public List<String> requeue(String messageId, String destination, String actor) {
        return store.inTransaction(c -> {
            List<String> requeued = new ArrayList<>();
            String sql = "SELECT id, destination FROM delivery WHERE message_id = ? AND "
                    + (destination == null ? "status = 'DEAD'" : "destination = ? AND status IN ('DEAD', 'DELIVERED')")
                    + " FOR UPDATE";
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, messageId);
                if (destination != null) {
                    ps.setString(2, destination);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        requeued.add(rs.getString(2));
                    }
                }
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET status = 'PENDING', cycle_attempts = 0, "
                    + "next_attempt_at = ?, claimed_until = NULL, claimed_by = NULL WHERE id = ?")) {
                for (long id : ids) {
                    ps.setTimestamp(1, now);
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!requeued.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO operator_audit (at, actor, action, target, detail) VALUES (?, ?, 'replay', ?, ?)")) {
                    ps.setTimestamp(1, now);
                    ps.setString(2, actor);
                    ps.setString(3, "message " + messageId);
                    ps.setString(4, "requeued for " + String.join(", ", requeued));
                    ps.executeUpdate();
                }
            }
            return requeued;
        });
    }

    private static String clip(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
}
