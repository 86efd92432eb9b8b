package io.weft.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The sample plant's QMS: a fresh database on the machine's MariaDB (127.0.0.1:3306, root) holding the QMS's
 * own tables, as the plant's QMS has them (Weft does not create them there).
 */
public final class QmsDatabase {
    public static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    public static final String USER = "root";

    /** The QMS's tables, as documented in the README (QMS spoke). */
    public static final String[] SCHEMA = {
        """
        CREATE TABLE inspection_result (
            inspection_id  BIGINT AUTO_INCREMENT PRIMARY KEY,
            lot_no         VARCHAR(64),
            plant          VARCHAR(16),
            material_no    VARCHAR(64),
            order_no       VARCHAR(64),
            batch_no       VARCHAR(64),
            decision       CHAR(1),
            characteristic VARCHAR(64),
            measured_value DECIMAL(12, 4),
            unit           VARCHAR(8),
            lower_limit    DECIMAL(12, 4),
            upper_limit    DECIMAL(12, 4),
            inspected_at   DATETIME(3),
            exported       CHAR(1) NOT NULL DEFAULT 'N',
            INDEX ix_inspection_exported (exported)
        )""",
        """
        CREATE TABLE production_result (
            message_id   VARCHAR(36) PRIMARY KEY,
            order_no     VARCHAR(64)    NOT NULL,
            plant        VARCHAR(16)    NOT NULL,
            material_no  VARCHAR(64)    NOT NULL,
            operation_no VARCHAR(16),
            good_qty     DECIMAL(15, 3) NOT NULL,
            scrap_qty    DECIMAL(15, 3) NOT NULL,
            uom          VARCHAR(8)     NOT NULL,
            final_flag   CHAR(1)        NOT NULL,
            reported_at  DATETIME       NOT NULL,
            received_at  TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP
        )"""
    };

    private QmsDatabase() {
    }

    /** Creates a fresh database with the QMS tables on the machine's MariaDB; returns its JDBC URL. */
    public static String create() {
        return create(SERVER);
    }

    /** Creates a fresh database with the QMS tables on the MariaDB at {@code server} (user root); returns its URL. */
    public static String create(String server) {
        String name = "qms_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect(server);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB at " + server + " is needed for the tests: " + e.getMessage(), e);
        }
        String url = server + name;
        try (Connection c = connect(url);
             Statement s = c.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the QMS tables: " + e.getMessage(), e);
        }
        return url;
    }

    /**
     * Through the MariaDB driver itself, not DriverManager: a Quarkus test resource runs in a class loader whose
     * DriverManager may not have the driver registered ("No suitable driver").
     */
    public static Connection connect(String url) throws SQLException {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", USER);
        login.setProperty("password", "");
        Connection connection = new org.mariadb.jdbc.Driver().connect(url, login);
        if (connection == null) {
            throw new SQLException("not a MariaDB URL: " + url);
        }
        return connection;
    }

    public static Map<String, String> weftConfig(String url) {
        return Map.of("quarkus.datasource.qms.jdbc.url", url + "?connectTimeout=2000&socketTimeout=10000",
                "quarkus.datasource.qms.username", USER,
                "quarkus.datasource.qms.password", "");
    }
}
