package io.weft.spoke;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Per machine and metric: is an alarm raised, and how many excursions past the limit there have been. Kept in
 * Weft's store (table iot_alarm_state), so a restart neither forgets a raised alarm (and re-sends it) nor
 * suppresses the next one. Several instances share the table; the excursion number makes an alarm raised by
 * two of them at once one message (same source message id, the journal's dedupe keeps the first).
 */
@ApplicationScoped
public class AlarmStates {
    /** Width of the line, machine and metric columns (migration V3). */
    public static final int NAME_LIMIT = 64;

    /** The state of one machine's metric; {@code episode} counts excursions so far (0: none yet). */
    public record State(boolean raised, long episode) {
    }

    @Inject
    Store store;

    public State of(String system, String line, String machine, String metric) {
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT raised, episode FROM iot_alarm_state "
                    + "WHERE system = ? AND line = ? AND machine = ? AND metric = ?")) {
                bind(s, system, line, machine, metric);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new State(r.getBoolean(1), r.getLong(2)) : new State(false, 0);
                }
            }
        });
    }

    /**
     * Excursion {@code episode} was published: the alarm stays raised until a reading is back in limit. Written,
     * not synced: should a power cut lose it, the next reading past the limit computes the same alarm id, which
     * the journal recognises as published already.
     */
    public void raised(String system, String line, String machine, String metric, long episode) {
        store.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE iot_alarm_state SET raised = TRUE, "
                    + "episode = GREATEST(episode, ?), changed_at = ? WHERE system = ? AND line = ? AND machine = ? AND metric = ?")) {
                u.setLong(1, episode);
                u.setTimestamp(2, Timestamp.from(Instant.now()));
                u.setString(3, system);
                u.setString(4, line);
                u.setString(5, machine);
                u.setString(6, metric);
                if (u.executeUpdate() == 0) {
                    insert(c, system, line, machine, metric, episode);
                }
            }
            return null;
        });
    }

    /**
     * A reading is back in limit; true when that cleared a raised alarm. Durable before the reading is
     * acknowledged: a lost clear would silence the machine's next excursion. Most readings are in limit with
     * no alarm raised: those only read, so they cost no write and no sync.
     */
    public boolean clear(String system, String line, String machine, String metric) {
        if (!of(system, line, machine, metric).raised()) {
            return false;
        }
        return store.inDurableTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE iot_alarm_state SET raised = FALSE, changed_at = ? "
                    + "WHERE system = ? AND line = ? AND machine = ? AND metric = ? AND raised = TRUE")) {
                u.setTimestamp(1, Timestamp.from(Instant.now()));
                u.setString(2, system);
                u.setString(3, line);
                u.setString(4, machine);
                u.setString(5, metric);
                return u.executeUpdate() > 0;
            }
        });
    }

    private static void insert(Connection c, String system, String line, String machine, String metric, long episode)
            throws SQLException {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO iot_alarm_state (system, line, machine, metric, "
                + "raised, episode, changed_at) VALUES (?, ?, ?, ?, TRUE, ?, ?)")) {
            bind(i, system, line, machine, metric);
            i.setLong(5, episode);
            i.setTimestamp(6, Timestamp.from(Instant.now()));
            i.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, String system, String line, String machine, String metric)
            throws SQLException {
        s.setString(1, system);
        s.setString(2, line);
        s.setString(3, machine);
        s.setString(4, metric);
    }
}
