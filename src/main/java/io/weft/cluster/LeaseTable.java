package io.weft.cluster;

import io.weft.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;

/**
 * The table {@code leader_lease} (migration V10) on PostgreSQL: one row per lock, naming the instance that holds it
 * and until when. Every time is the database's ({@code now()}), so instances whose clocks disagree still agree on
 * who holds a lock.
 */
final class LeaseTable {
    // Takes a free or expired lock, or extends the caller's own; an unexpired lock of another instance is left alone
    // and nothing is returned. Two instances racing for an expired lock: the row lock orders them, and the second
    // sees the first one's fresh lease in the WHERE clause.
    private static final String ACQUIRE = """
            INSERT INTO leader_lease (lock_name, holder, acquired_at, renewed_at, expires_at)
            VALUES (?, ?, now(), now(), now() + make_interval(secs => ?))
            ON CONFLICT (lock_name) DO UPDATE
              SET holder = EXCLUDED.holder,
                  acquired_at = CASE WHEN leader_lease.holder = EXCLUDED.holder
                                     THEN leader_lease.acquired_at ELSE EXCLUDED.acquired_at END,
                  renewed_at = EXCLUDED.renewed_at,
                  expires_at = EXCLUDED.expires_at
              WHERE leader_lease.holder = EXCLUDED.holder OR leader_lease.expires_at < now()
            RETURNING holder""";
    private static final String HOLDER = "SELECT holder FROM leader_lease WHERE lock_name = ? AND expires_at >= now()";
    private static final String RELEASE = "DELETE FROM leader_lease WHERE lock_name = ? AND holder = ?";

    private final Store store;
    private final int timeoutSeconds;

    LeaseTable(Store store, Duration statementTimeout) {
        this.store = store;
        this.timeoutSeconds = (int) Math.max(1, statementTimeout.toSeconds());
    }

    /** True if {@code holder} holds {@code lock} for {@code lease} from now on (taken or renewed). */
    boolean acquire(String lock, String holder, Duration lease) {
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement(ACQUIRE)) {
                s.setQueryTimeout(timeoutSeconds);
                s.setString(1, lock);
                s.setString(2, holder);
                s.setDouble(3, lease.toMillis() / 1000.0);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Who holds {@code lock} right now, if anybody. */
    Optional<String> holder(String lock) {
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement(HOLDER)) {
                s.setQueryTimeout(timeoutSeconds);
                s.setString(1, lock);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Gives {@code lock} up at once (an orderly stop), so another instance need not wait for the lease to run out. */
    void release(String lock, String holder) {
        store.read(c -> {
            try (PreparedStatement s = c.prepareStatement(RELEASE)) {
                s.setQueryTimeout(timeoutSeconds);
                s.setString(1, lock);
                s.setString(2, holder);
                return s.executeUpdate();
            }
        });
    }
}
