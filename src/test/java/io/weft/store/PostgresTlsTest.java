package io.weft.store;

import io.weft.testing.PrivatePostgres;
import io.weft.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC TLS options the README gives for Weft's PostgreSQL store ({@code WEFT_DB_URL}), with the driver Weft
 * ships, against a private PostgreSQL with {@code ssl=on} and a server certificate of a CA the test makes:
 * {@code sslmode=verify-full} with that CA as {@code sslrootcert} connects over TLS; with another CA's root
 * certificate the connection is refused.
 */
class PostgresTlsTest {
    private static TestPki pki;
    private static PrivatePostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(Files.createTempDirectory("weft-pg-tls-")).ca("db-ca").ca("rogue-ca")
                .certificate("db", "localhost", "db-ca");
        postgres = new PrivatePostgres().withTls(pki.file("db.crt"), pki.file("db.key"));
        postgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static String url(String rootCa) {
        return postgres.url("postgres") + "?sslmode=verify-full&sslrootcert=" + pki.file(rootCa + ".crt");
    }

    @Test
    void verifyFullWithTheServersCaConnectsOverTls() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("db-ca"), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(1), "the connection is TLS");
        }
    }

    @Test
    void anotherRootCertificateIsRefused() {
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url("rogue-ca"), "postgres", "").close());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append(" / ");
        }
        assertTrue(chain.toString().contains("PKIX") || chain.toString().contains("certification path"), chain.toString());
    }
}
