package io.weft.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432) for one test application, so tests never
 * see each other's rows. The databases a test JVM created are dropped when it ends; those a JVM killed left
 * behind are dropped by the next run once they are a day old and nobody is connected (runs beside it may still
 * use younger ones).
 */
public final class PostgresDatabase {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "postgres";
    /**
     * Sent as the database password in every test (the test server trusts loopback, so it is not checked):
     * a canary that LogHygieneIT looks for in the logs of the whole run.
     */
    public static final String CANARY_PASSWORD = "canary-Pw-7c1e9f3a";

    private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean CLEANUP = new java.util.concurrent.atomic.AtomicBoolean();

    private PostgresDatabase() {
    }

    public static String create() {
        String name = "weft_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement s = c.createStatement()) {
            if (CLEANUP.compareAndSet(false, true)) {
                dropLeftovers(s);
                Runtime.getRuntime().addShutdownHook(new Thread(PostgresDatabase::dropCreated, "drop-test-databases"));
            }
            s.execute("CREATE DATABASE " + name);
            CREATED.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the tests: " + e.getMessage(), e);
        }
        return SERVER + name;
    }

    private static void dropLeftovers(Statement s) throws SQLException {
        java.util.List<String> old = new java.util.ArrayList<>();
        try (java.sql.ResultSet rs = s.executeQuery("SELECT datname FROM pg_database d WHERE datname LIKE 'weft\\_test\\_%' "
                + "AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 day' "
                + "AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)")) {
            while (rs.next()) {
                old.add(rs.getString(1));
            }
        }
        for (String db : old) {
            s.execute("DROP DATABASE IF EXISTS " + db);
        }
    }

    /** At the JVM's end: its test applications and processes are gone or going, so their connections are cut. */
    private static void dropCreated() {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement s = c.createStatement()) {
            for (String db : CREATED) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("test databases not dropped: " + e.getMessage());
        }
    }

    /** A connection to a test database, as the test itself (not as Weft). */
    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, "");
    }

    /** The single number a query such as {@code SELECT count(*) ...} answers. */
    public static long count(String url, String sql) throws SQLException {
        try (Connection c = connect(url);
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The configuration that points Weft at {@code url} instead of the embedded store. */
    public static Map<String, String> weftConfig(String url) {
        return Map.of("quarkus.datasource.h2.active", "false",
                "quarkus.datasource.pg.active", "true",
                "quarkus.datasource.pg.jdbc.url", url,
                "quarkus.datasource.pg.username", USER,
                "quarkus.datasource.pg.password", CANARY_PASSWORD);
    }
}
