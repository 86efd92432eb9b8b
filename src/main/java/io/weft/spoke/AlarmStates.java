package io.weft.spoke;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGStatement;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per machine and metric: is an alarm raised, and how many excursions past the limit there have been. Kept in
 * Weft's store (table iot_alarm_state), so a restart neither forgets a raised alarm (and re-sends it) nor
 * suppresses the next one. The excursion number makes an alarm raised twice (by two instances, or again after a
 * crash) one message: same source message id, the journal keeps the first.
 *
 * <p>Read and written a batch of readings at a time: one query for the states a batch needs, one durable
 * transaction for those it changed. The states this instance last read or wrote are kept in memory (the most
 * recent 100,000), so a reading in limit of a machine with no alarm raised costs no database access. Not in a
 * shared subscription ({@code weft.systems.iot.subscription} {@code $share/...}): there another member may get the
 * next reading of a machine and change its state, so every batch reads its states from the store.
 */
@ApplicationScoped
public class AlarmStates {
    /** Width of the line, machine and metric columns (migration V3). */
    public static final int NAME_LIMIT = 64;
    private static final int KEPT = 100_000;

    public record Key(String system, String line, String machine, String metric) {
    }

    /** The state of one machine's metric; {@code episode} counts excursions so far (0: none yet). */
    public record State(boolean raised, long episode) {
        static final State NONE = new State(false, 0);
    }

    @Inject
    Store store;
    private final boolean kept;
    private final Map<Key, State> known = new LinkedHashMap<>(4096, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, State> eldest) {
            return size() > KEPT;
        }
    };

    @Inject
    AlarmStates(@ConfigProperty(name = "weft.systems.iot.subscription", defaultValue = "plant/+/+/telemetry") String subscription) {
        kept = !subscription.startsWith("$share/");
    }

    /** The states of {@code keys}, all of one system: from memory where it can be trusted, the rest in one query. */
    public Map<Key, State> of(String system, Collection<Key> keys) {
        Map<Key, State> found = new HashMap<>();
        List<Key> missing = new ArrayList<>();
        synchronized (known) {
            for (Key k : keys) {
                State s = kept ? known.get(k) : null;
                if (s != null) {
                    found.put(k, s);
                } else {
                    missing.add(k);
                }
            }
        }
        if (!missing.isEmpty()) {
            Map<Key, State> stored = read(system, missing);
            for (Key k : missing) {
                found.put(k, stored.getOrDefault(k, State.NONE));
            }
        }
        return found;
    }

    /**
     * Writes what a batch changed, in one transaction on stable storage: a lost clear would silence the machine's
     * next excursion, so the readings are acknowledged only after it.
     */
    public void write(String system, Map<Key, State> changed) {
        if (changed.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        store.inDurableTransaction(c -> {
            List<Map.Entry<Key, State>> entries = new ArrayList<>(changed.entrySet());
            int[] updated;
            try (PreparedStatement u = c.prepareStatement("UPDATE iot_alarm_state SET raised = ?, "
                    + "episode = GREATEST(episode, ?), changed_at = ? WHERE system = ? AND line = ? AND machine = ? AND metric = ?")) {
                for (Map.Entry<Key, State> e : entries) {
                    u.setBoolean(1, e.getValue().raised());
                    u.setLong(2, e.getValue().episode());
                    u.setTimestamp(3, now);
                    bind(u, 4, e.getKey());
                    u.addBatch();
                }
                updated = u.executeBatch();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO iot_alarm_state (system, line, machine, metric, "
                    + "raised, episode, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                boolean any = false;
                for (int n = 0; n < entries.size(); n++) {
                    if (updated[n] == 0) {
                        bind(i, 1, entries.get(n).getKey());
                        i.setBoolean(5, entries.get(n).getValue().raised());
                        i.setLong(6, entries.get(n).getValue().episode());
                        i.setTimestamp(7, now);
                        i.addBatch();
                        any = true;
                    }
                }
                if (any) {
                    i.executeBatch();
                }
            }
            return null;
        });
    }

    /** After a batch committed: its states, read or written, are what the store holds. */
    public void remember(Map<Key, State> states) {
        if (kept) {
            synchronized (known) {
                known.putAll(states);
            }
        }
    }

    /** A batch failed: what it read or wrote may not be what the store holds. */
    public void forget(Collection<Key> keys) {
        synchronized (known) {
            keys.forEach(known::remove);
        }
    }

    private Map<Key, State> read(String system, List<Key> keys) {
        return store.read(c -> {
            Map<Key, State> found = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT line, machine, metric, raised, episode "
                    + "FROM iot_alarm_state WHERE system = ? AND machine = ANY(?)")) {
                if (s.isWrapperFor(PGStatement.class)) {
                    s.unwrap(PGStatement.class).setPrepareThreshold(0); // a plan for this array, not a generic one
                }
                Array machines = c.createArrayOf("VARCHAR", keys.stream().map(Key::machine).distinct().toArray());
                try {
                    s.setString(1, system);
                    s.setArray(2, machines);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            found.put(new Key(system, r.getString(1), r.getString(2), r.getString(3)),
                                    new State(r.getBoolean(4), r.getLong(5)));
                        }
                    }
                } finally {
                    machines.free();
                }
            }
            return found;
        });
    }

    private static void bind(PreparedStatement s, int from, Key k) throws SQLException {
        s.setString(from, k.system());
        s.setString(from + 1, k.line());
        s.setString(from + 2, k.machine());
        s.setString(from + 3, k.metric());
    }
}
