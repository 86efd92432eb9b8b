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

    /** Returns false, writing nothing, when the claim no longer holds the delivery (its lease was taken over). */
    boolean recordFenced(Connection c, String token, Outbox.Attempt a, String instance) throws SQLException {
        boolean retrying = a.next() == Outbox.Status.RETRYING;
        String sql = "UPDATE delivery SET status = ?, attempts = attempts + 1, cycle_attempts = cycle_attempts + 1, "
                + "next_attempt_at = " + (retrying ? Outbox.DB_NOW_PLUS_MILLIS : "NULL") + ", last_error = ?, "
                + "delivered_at = " + (a.success() ? "CURRENT_TIMESTAMP" : "NULL") + ", "
                + "claimed_until = NULL, claimed_by = NULL, claim_token = NULL WHERE id = ? AND claim_token = ?";
        try (PreparedStatement update = c.prepareStatement(sql)) {
            int i = 1;
            update.setString(i++, a.next().name());
            if (retrying) {
                update.setLong(i++, a.retryIn().toMillis());
            }
            update.setString(i++, a.success() ? null : clip(a.errorClass() + ": " + a.errorMessage()));
            update.setLong(i++, a.delivery().id());
            update.setString(i, token);
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO delivery_attempt (delivery_id, attempt, "
                + "started_at, duration_ms, outcome, outcome_class, http_status, error_class, error_message, "
                + "response_excerpt, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, a.delivery().id());
            insert.setInt(2, a.delivery().attempts() + 1);
            insert.setTimestamp(3, Timestamp.from(a.startedAt()));
            insert.setLong(4, a.durationMs());
            insert.setString(5, a.success() ? "SUCCESS" : "FAILURE");
            insert.setString(6, a.outcomeClass().name());
            if (a.httpStatus() == null) {
                insert.setNull(7, Types.INTEGER);
            } else {
                insert.setInt(7, a.httpStatus());
            }
            insert.setString(8, clip(a.errorClass()));
            insert.setString(9, clip(a.errorMessage()));
            insert.setString(10, clip(a.responseExcerpt()));
            insert.setString(11, instance);
            insert.executeUpdate();
        }
        return true;
    }

    static String clip(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
}
