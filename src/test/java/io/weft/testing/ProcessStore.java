package io.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * A fresh store for Weft run as a child process ({@link WeftProcess}), on either kind the product offers, and the
 * test's own reads of it. Crash tests take a {@link Kind} as their parameter, so each runs on both stores.
 *
 * <p>The embedded H2 file is locked by the Weft process that has it open: read it only while no instance runs
 * (after a kill or a stop); while one runs, watch the destinations or the operations API ({@link WeftApi}).
 */
public abstract class ProcessStore {

    public enum Kind {
        H2, POSTGRESQL;

        public ProcessStore create() {
            return this == H2 ? new EmbeddedH2() : new Postgres(PostgresDatabase.create());
        }
    }

    /** Weft's configuration for this store (profile, URL, data directory). */
    public abstract Map<String, String> weftConfig();

    public abstract Connection connect() throws SQLException;

    /**
     * After a kill: waits until the killed process can no longer commit anything (PostgreSQL: its sessions are
     * gone; H2: it held the file itself, so its end is enough).
     */
    public abstract void awaitReleasedByKilledInstance();

    /** The single number a query such as {@code SELECT count(*) ...} answers. */
    public long count(String sql) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row {@code sql} answers, as text. */
    public Set<String> strings(String sql) {
        Set<String> values = new LinkedHashSet<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The embedded default: an H2 file in a fresh data directory, Weft's packaged settings otherwise. */
    static final class EmbeddedH2 extends ProcessStore {
        private final Path dataDir;

        EmbeddedH2() {
            try {
                dataDir = Files.createTempDirectory(WeftProcess.projectDir().resolve("target"), "h2-crash-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> weftConfig() {
            return new HashMap<>(Map.of("weft.data-dir", dataDir.toString()));
        }

        @Override
        public Connection connect() throws SQLException {
            // Weft's own URL settings (application.properties), opened by the same H2 version it is packaged with.
            return DriverManager.getConnection("jdbc:h2:file:" + dataDir + "/weft;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH", "", "");
        }

        @Override
        public void awaitReleasedByKilledInstance() {
            // The killed JVM held the file; the OS dropped its lock with it.
        }

        @Override
        public String toString() {
            return "H2 in " + dataDir;
        }
    }

    static final class Postgres extends ProcessStore {
        private final String url;

        Postgres(String url) {
            this.url = url;
        }

        @Override
        public Map<String, String> weftConfig() {
            Map<String, String> config = new HashMap<>(PostgresDatabase.weftConfig(url));
            config.put("quarkus.profile", "pg");
            return config;
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, PostgresDatabase.USER, "");
        }

        @Override
        public void awaitReleasedByKilledInstance() {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> count(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") == 0);
        }

        @Override
        public String toString() {
            return "PostgreSQL " + url;
        }
    }
}
