package io.weft.audit;

import io.weft.testing.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail is append-only in each store itself (migration V13): after Weft's own migrations, with the
 * locations Weft configures, an UPDATE or DELETE of an audit row is refused by the database, for any user
 * connected to it (here PostgreSQL's superuser, and H2's owner); inserting goes on.
 */
class AuditAppendOnlyTest {
    private static final String INSERT = "INSERT INTO operator_audit (at, actor, action, target, detail) "
            + "VALUES (CURRENT_TIMESTAMP, 'alice', 'replay', 'message 1', 'by hand')";

    @Test
    void anAuditRowCannotBeChangedOrDeletedOnPostgres() throws Exception {
        String url = PostgresDatabase.create();
        migrate(url, PostgresDatabase.USER, "db/postgresql");
        try (Connection c = PostgresDatabase.connect(url)) {
            assertAppendOnly(c);
            SQLException truncate = assertThrows(SQLException.class,
                    () -> c.createStatement().execute("TRUNCATE operator_audit"));
            assertTrue(truncate.getMessage().contains("append-only"), truncate.getMessage());
            assertEquals(2, count(c));
        }
    }

    @Test
    void anAuditRowCannotBeChangedOrDeletedOnH2() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "audit-h2-" + System.nanoTime()));
        // Weft's own URL options (application.properties, quarkus.datasource.h2.jdbc.url).
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("weft")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        migrate(url, "sa", "db/h2");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertAppendOnly(c);
        }
    }

    private static void migrate(String url, String user, String storeLocation) {
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration", "classpath:" + storeLocation)
                .load().migrate();
    }

    private static void assertAppendOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate(INSERT));
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE operator_audit SET actor = 'mallory'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            SQLException delete = assertThrows(SQLException.class,
                    () -> s.executeUpdate("DELETE FROM operator_audit WHERE actor = 'alice'"));
            assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
            assertEquals(1, s.executeUpdate(INSERT), "inserting goes on");
            assertEquals(2, count(c));
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT actor FROM operator_audit")) {
                assertTrue(rs.next());
                assertEquals("alice", rs.getString(1));
            }
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM operator_audit")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
