package io.weft.spoke;

import io.weft.testing.PrivateMariaDb;
import io.weft.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.Driver;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC TLS options the security reference gives for the QMS database ({@code sslMode=verify-full&serverSslCert=}),
 * with the MariaDB driver Weft ships, against a private MariaDB serving a certificate of a CA the test makes: with that
 * CA the connection is TLS; with another CA's certificate it is refused.
 */
class QmsTlsTest {
    private static TestPki pki;
    private static PrivateMariaDb mariaDb;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(Files.createTempDirectory("weft-qms-tls-")).ca("qms-ca").ca("rogue-ca")
                .certificate("qms", "localhost", "qms-ca");
        mariaDb = new PrivateMariaDb().withTls(pki.file("qms.crt"), pki.file("qms.key"));
        mariaDb.start();
    }

    @AfterAll
    static void stop() {
        mariaDb.close();
    }

    private static Connection connect(String ca) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "root");
        login.setProperty("password", "");
        String url = mariaDb.serverUrl().replace("127.0.0.1", "localhost") + "mysql?sslMode=verify-full&serverSslCert="
                + pki.file(ca + ".crt");
        return new Driver().connect(url, login);
    }

    @Test
    void verifyFullWithTheServersCaConnectsOverTls() throws SQLException {
        try (Connection c = connect("qms-ca");
             ResultSet rs = c.createStatement().executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            assertTrue(rs.next());
            assertFalse(rs.getString(2).isEmpty(), "the connection is TLS");
        }
    }

    @Test
    void anotherCaIsRefused() {
        SQLException e = assertThrows(SQLException.class, () -> connect("rogue-ca").close());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append(" / ");
        }
        assertTrue(chain.toString().contains("PKIX") || chain.toString().contains("certif"), chain.toString());
    }
}
