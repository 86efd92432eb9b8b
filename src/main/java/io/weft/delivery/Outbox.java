package io.weft.delivery;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The outbox table as the dispatcher sees it: claim due deliveries under a fenced lease, record each attempt as
 * it ends, hand back what was not tried, requeue. Every statement on the delivery table lives in this package:
 * here, in {@link OutboxAttempts} (records attempts), {@link OutboxReplays} (requeues), {@link OutboxRows} (the rows
 * the journal's transactions insert and purge), {@link OutboxReads} (the journal's reads), {@link OutboxBacklog}
 * (the backlog gauges), {@link FlowStatistics}, {@link DeadDeliveries} and {@link FailedAttempts} (the operations
 * pages); the other packages call them.
 *
 * <p>Fencing: every claim writes a fresh {@code claim_token} on the rows it takes. Every later write of the
 * claimant (a result, a lease renewal, a hand-back) is conditional on that token, so once another worker has
 * taken a delivery over (after the lease ran out) the first one's writes change nothing. Leases are taken and
 * compared on the database's clock ({@code CURRENT_TIMESTAMP}), so instances with skewed clocks agree on when a
 * lease has run out. On PostgreSQL the claim skips rows another instance holds locked, so instances share the
 * work.
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

    /** The deliveries one claim took, and the token that fences every later write about them. */
    public record Claim(String token, List<Claimed> deliveries) {
        public boolean isEmpty() {
            return deliveries.isEmpty();
        }
    }

    /**
     * The outcome of one attempt and the state the delivery moves to; {@code retryIn} is the backoff until the
     * next attempt (RETRYING only), added to the database's clock when recorded.
     */
    public record Attempt(Claimed delivery, Instant startedAt, long durationMs, OutcomeClass outcomeClass,
                          Status next, Duration retryIn, Integer httpStatus, String errorClass, String errorMessage,
                          String responseExcerpt) {
        public boolean success() {
            return outcomeClass == OutcomeClass.DELIVERED;
        }
    }

    /**
     * Whether an attempt's result was written (false: the lease had been taken over, and the new holder's
     * result counts), and which of the claim's other deliveries are still held, their leases renewed.
     */
    public record Recorded(boolean written, Set<Long> stillHeld, boolean paused) {
    }

    /** {@code CURRENT_TIMESTAMP} plus a parameter in milliseconds: the database's clock (H2 and PostgreSQL). */
    static final String DB_NOW_PLUS_MILLIS = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    /**
     * Due: queued, its time has come, no live lease, and its destination not paused (V11): a paused destination's
     * deliveries are not claimed at all, so they get no attempt and their retry counters stay as they are.
     * Finished deliveries have no next_attempt_at (V4).
     */
    private static final String DUE = "destination = ? AND next_attempt_at <= CURRENT_TIMESTAMP "
            + "AND status IN ('PENDING', 'RETRYING') AND (claimed_until IS NULL OR claimed_until < CURRENT_TIMESTAMP) "
            + "AND " + DestinationPauses.NOT_PAUSED;
    private static final String CLAIMED_COLUMNS = "d.id, d.message_id, d.destination, d.attempts, d.cycle_attempts, "
            + "m.envelope, m.type, m.subject, m.correlation_id, m.traceparent, m.received_at";

    @Inject
    Store store;
    @Inject
    OutboxAttempts attempts;
    @Inject
    OutboxReplays replays;

    /** Claims up to {@code limit} due deliveries of a destination for {@code lease}, under a fresh token. */
    public Claim claim(String destination, int limit, Duration lease, String instance) {
        String token = UUID.randomUUID().toString();
        List<Claimed> claimed = store.inTransaction(c -> store.dialect() == Store.Dialect.POSTGRESQL
                ? claimPostgres(c, destination, limit, lease, instance, token)
                : claimPortable(c, destination, limit, lease, instance, token));
        return new Claim(token, claimed);
    }

    /** One round trip: lock due rows nobody else holds, lease them, and return them with their envelopes. */
    private List<Claimed> claimPostgres(Connection c, String destination, int limit, Duration lease, String instance,
                                        String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH d AS (UPDATE delivery SET claimed_until = "
                + DB_NOW_PLUS_MILLIS + ", claimed_by = ?, claim_token = ? WHERE id IN (SELECT id FROM delivery WHERE "
                + DUE + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "RETURNING id, message_id, destination, attempts, cycle_attempts) "
                + "SELECT " + CLAIMED_COLUMNS + " FROM d JOIN message m ON m.id = d.message_id ORDER BY d.id")) {
            ps.setLong(1, lease.toMillis());
            ps.setString(2, instance);
            ps.setString(3, token);
            ps.setString(4, destination);
            ps.setInt(5, limit);
            return readClaimed(ps);
        }
    }

    /**
     * The embedded store serves one instance: lock, then lease, in the same transaction. The lease is written
     * only on rows still unleased, and the rows are read back by token, so a row another worker leased in
     * between is never returned to both.
     */
    private List<Claimed> claimPortable(Connection c, String destination, int limit, Duration lease, String instance,
                                        String token) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM delivery WHERE " + DUE
                + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE")) {
            ps.setString(1, destination);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET claimed_until = " + DB_NOW_PLUS_MILLIS
                + ", claimed_by = ?, claim_token = ? WHERE id = ANY(?) AND status IN ('PENDING', 'RETRYING') "
                + "AND (claimed_until IS NULL OR claimed_until < CURRENT_TIMESTAMP)")) {
            ps.setLong(1, lease.toMillis());
            ps.setString(2, instance);
            ps.setString(3, token);
            ps.setArray(4, c.createArrayOf("BIGINT", ids.toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CLAIMED_COLUMNS + " FROM delivery d "
                + "JOIN message m ON m.id = d.message_id WHERE d.claim_token = ? ORDER BY d.id")) {
            ps.setString(1, token);
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
     * Records one attempt in its own transaction, only if the claim still holds the delivery, and reads which of
     * the claim's deliveries it still holds (the lane checks that before each next attempt). Leases are renewed by
     * {@link #renew}, not here. It also reads whether the destination was paused meanwhile, so a batch stops at
     * the pause instead of running to its end: a result's transaction locks only its own delivery row, so it can never deadlock
     * with the heartbeat, and it cannot fail for a reason that would leave a sent attempt unrecorded.
     */
    public Recorded record(Claim claim, Attempt attempt, String instance) {
        boolean oneStatement = store.dialect() == Store.Dialect.POSTGRESQL;
        return store.inTransaction(c -> {
            boolean written = attempts.recordFenced(c, claim.token(), attempt, instance, oneStatement);
            // What the claim still holds and whether the destination is paused, in one round trip. With nothing
            // held the pause does not matter: no attempt of this batch is left to stop.
            Set<Long> held = new HashSet<>();
            boolean paused = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, " + DestinationPauses.IS_PAUSED
                    + " FROM delivery WHERE claim_token = ?")) {
                ps.setString(1, claim.deliveries().get(0).destination());
                ps.setString(2, claim.token());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        held.add(rs.getLong(1));
                        paused = rs.getBoolean(2);
                    }
                }
            }
            return new Recorded(written, held, paused);
        });
    }

    /** The lease heartbeat: renews every delivery still held under any of {@code tokens}. */
    public int renew(Set<String> tokens, Duration lease) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET claimed_until = " + DB_NOW_PLUS_MILLIS
                    + " WHERE claim_token = ANY(?)")) {
                ps.setLong(1, lease.toMillis());
                ps.setArray(2, c.createArrayOf("VARCHAR", tokens.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Hands back the claim's deliveries that were not tried (their destination turned out unreachable, or the
     * instance is stopping), due again after {@code retryIn}; rows the claim no longer holds are left alone.
     */
    public int handBack(Claim claim, Duration retryIn) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE delivery SET claimed_until = NULL, claimed_by = NULL, "
                    + "claim_token = NULL, next_attempt_at = " + DB_NOW_PLUS_MILLIS + " WHERE claim_token = ?")) {
                ps.setLong(1, retryIn.toMillis());
                ps.setString(2, claim.token());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * At start, takes back the leases a previous run of this instance held when it stopped or crashed, so
     * its unfinished deliveries resume at once instead of when the lease runs out. The embedded store has
     * no other instance, so there every lease is released.
     */
    public int releaseLeasesOf(String instance) {
        String release = "UPDATE delivery SET claimed_until = NULL, claimed_by = NULL, claim_token = NULL WHERE ";
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(release
                    + (store.isShared() ? "claimed_by = ?" : "claimed_by IS NOT NULL"))) {
                if (store.isShared()) {
                    ps.setString(1, instance);
                }
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
        return replays.requeue(messageId, destination, actor);
    }
}
