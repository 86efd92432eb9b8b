package io.weft.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * Writes one attempt's result: the delivery's next state and the attempt row, both only if the delivery still
 * carries the claim token the attempt was made under. Part of the outbox ({@link Outbox}); runs inside the
 * caller's transaction.
 */
@ApplicationScoped
class OutboxAttempts {
    private static final String ATTEMPT_COLUMNS = "delivery_id, attempt, started_at, duration_ms, outcome, "
            + "outcome_class, http_status, error_class, error_message, response_excerpt, instance";

    /**
     * Returns false, writing nothing, when the claim no longer holds the delivery (its lease was taken over).
     * {@code oneStatement} (PostgreSQL): the update and the attempt row in one statement, the row inserted only for
     * an update that matched, so one round trip instead of two on every attempt; H2 has no data-modifying WITH.
     */
    boolean recordFenced(Connection c, String token, Outbox.Attempt a, String instance, boolean oneStatement)
            throws SQLException {
        if (oneStatement) {
            try (PreparedStatement ps = c.prepareStatement("WITH fenced AS (" + update(a) + " RETURNING id) "
                    + "INSERT INTO delivery_attempt (" + ATTEMPT_COLUMNS + ") SELECT id, CAST(? AS INT), "
                    + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS BIGINT), ?, ?, CAST(? AS INT), ?, ?, ?, ? "
                    + "FROM fenced")) {
                int next = bindUpdate(ps, 1, token, a);
                bindAttempt(ps, next, a, instance, false);
                return ps.executeUpdate() == 1;
            }
        }
        try (PreparedStatement update = c.prepareStatement(update(a))) {
            bindUpdate(update, 1, token, a);
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO delivery_attempt (" + ATTEMPT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindAttempt(insert, 1, a, instance, true);
            insert.executeUpdate();
        }
        return true;
    }

    private static String update(Outbox.Attempt a) {
        boolean retrying = a.next() == Outbox.Status.RETRYING;
        return "UPDATE delivery SET status = ?, attempts = attempts + 1, cycle_attempts = cycle_attempts + 1, "
                + "next_attempt_at = " + (retrying ? Outbox.DB_NOW_PLUS_MILLIS : "NULL") + ", last_error = ?, "
                + "delivered_at = " + (a.success() ? "CURRENT_TIMESTAMP" : "NULL") + ", "
                + "claimed_until = NULL, claimed_by = NULL, claim_token = NULL WHERE id = ? AND claim_token = ?";
    }

    /** Binds the update's parameters from {@code first}; returns the index of the next parameter. */
    private static int bindUpdate(PreparedStatement ps, int first, String token, Outbox.Attempt a) throws SQLException {
        int i = first;
        ps.setString(i++, a.next().name());
        if (a.next() == Outbox.Status.RETRYING) {
            ps.setLong(i++, a.retryIn().toMillis());
        }
        ps.setString(i++, a.success() ? null : clip(a.errorClass() + ": " + a.errorMessage()));
        ps.setLong(i++, a.delivery().id());
        ps.setString(i++, token);
        return i;
    }

    /** Binds the attempt row's values from {@code first}, with the delivery id first when {@code withDeliveryId}. */
    private static void bindAttempt(PreparedStatement ps, int first, Outbox.Attempt a, String instance,
                                    boolean withDeliveryId) throws SQLException {
        int i = first;
        if (withDeliveryId) {
            ps.setLong(i++, a.delivery().id());
        }
        ps.setInt(i++, a.delivery().attempts() + 1);
        ps.setTimestamp(i++, Timestamp.from(a.startedAt()));
        ps.setLong(i++, a.durationMs());
        ps.setString(i++, a.success() ? "SUCCESS" : "FAILURE");
        ps.setString(i++, a.outcomeClass().name());
        if (a.httpStatus() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, a.httpStatus());
        }
        ps.setString(i++, clip(a.errorClass()));
        ps.setString(i++, clip(a.errorMessage()));
        ps.setString(i++, clip(a.responseExcerpt()));
        ps.setString(i, instance);
    }

    static String clip(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
}
