package io.weft.observe;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The transitions of each system's reachability (table {@code reachability_event}, V11), and the one log line
 * each: a WARN when a system goes down, an INFO when it is back, never one per probe or poll while nothing
 * changes. The first finding after start is logged only when it is DOWN.
 */
@ApplicationScoped
public class ReachabilityHistory {
    private static final Logger LOG = Logger.getLogger(ReachabilityHistory.class);
    private static final int MAX_LOGGED_ERROR = 300;

    public record Transition(Instant at, boolean reachable, String error) {
    }

    @Inject
    Store store;

    void transition(String system, SystemReachability.State state, boolean first) {
        if (!state.reachable()) {
            LOG.warnf("system %s is DOWN: %s", system, loggable(state.lastError()));
        } else if (!first) {
            LOG.infof("system %s is back UP", system);
        }
        try {
            store.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO reachability_event "
                        + "(system_name, at, reachable, error) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, system);
                    ps.setTimestamp(2, Timestamp.from(state.since()));
                    ps.setBoolean(3, state.reachable());
                    ps.setString(4, clip(state.lastError(), 2000));
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            // The store may be the thing that is away; the live state still shows the transition.
            LOG.debugf("reachability transition of %s not stored: %s", system, e.getMessage());
        }
    }

    /** The last {@code limit} transitions of a system, newest first. */
    public List<Transition> of(String system, int limit) {
        return store.read(c -> {
            List<Transition> transitions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, reachable, error FROM reachability_event "
                    + "WHERE system_name = ? ORDER BY at DESC, id DESC LIMIT ?")) {
                ps.setString(1, system);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        transitions.add(new Transition(rs.getTimestamp(1).toInstant(), rs.getBoolean(2), rs.getString(3)));
                    }
                }
            }
            return transitions;
        });
    }

    /** An error as a log line shows it: no URI query strings (a SQL consumer's URI holds its whole query), short. */
    static String loggable(String error) {
        if (error == null) {
            return "";
        }
        String s = error.replaceAll("(\\b[a-z][a-z0-9+.-]*:[^\\s?]*)\\?\\S*", "$1");
        return clip(s, MAX_LOGGED_ERROR);
    }

    private static String clip(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
