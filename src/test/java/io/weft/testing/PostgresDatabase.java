package io.weft.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432) for one test application, so tests never
 * see each other's rows. Dropped databases are left to the next run's clean-up of old ones.
 */
public final class PostgresDatabase {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "postgres";
    /**
     * Sent as the database password in every test (the test server trusts loopback, so it is not checked):
     * a canary that LogHygieneIT looks for in the logs of the whole run.
     */
    public static final String CANARY_PASSWORD = "canary-Pw-7c1e9f3a";

    private PostgresDatabase() {
    }

    public static String create() {
        String name = "weft_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the tests: " + e.getMessage(), e);
        }
        return SERVER + name;
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
