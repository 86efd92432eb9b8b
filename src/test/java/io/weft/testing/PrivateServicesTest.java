package io.weft.testing;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The private instances tests stop and start instead of the machine's shared services: each runs on its own port,
 * keeps its data across a restart, and leaves no process and no folder behind once closed.
 */
class PrivateServicesTest {

    @Test
    void aPrivateMariaDbKeepsItsRowsAcrossARestartAndIsGoneWhenClosed() throws Exception {
        PrivateMariaDb mariaDb = new PrivateMariaDb();
        try (mariaDb) {
            mariaDb.start();
            assertNotEquals(3306, mariaDb.port());
            execute(mariaDb.serverUrl(), "root", "CREATE DATABASE kept", "CREATE TABLE kept.t (n INT)", "INSERT INTO kept.t VALUES (7)");
            mariaDb.restart(Duration.ofMillis(500));
            assertEquals(7, single(mariaDb.serverUrl() + "kept", "root", "SELECT n FROM t"));
        }
        assertGone(mariaDb);
    }

    @Test
    void aPrivatePostgresRunsAsPostgresKeepsItsRowsAcrossARestartAndIsGoneWhenClosed() throws Exception {
        PrivatePostgres postgres = new PrivatePostgres();
        try (postgres) {
            postgres.start();
            String url = postgres.createDatabase("kept");
            execute(url, "postgres", "CREATE TABLE t (n INT)", "INSERT INTO t VALUES (7)");
            postgres.restart(Duration.ofMillis(500));
            assertEquals(7, single(url, "postgres", "SELECT n FROM t"));
        }
        assertGone(postgres);
    }

    @Test
    void aPrivateMosquittoAcceptsClientsAgainAfterARestartAndIsGoneWhenClosed() throws Exception {
        PrivateMosquitto mosquitto = new PrivateMosquitto();
        try (mosquitto) {
            mosquitto.start();
            connectAndDisconnect(mosquitto.url());
            mosquitto.restart(Duration.ofMillis(500));
            connectAndDisconnect(mosquitto.url());
        }
        assertGone(mosquitto);
    }

    private static void assertGone(PrivateService service) {
        assertFalse(service.answers(), "port " + service.port() + " still answers");
        assertTrue(service.serverPid().flatMap(ProcessHandle::of).map(p -> !p.isAlive()).orElse(true));
        assertFalse(Files.exists(service.dir), service.dir + " is left behind");
    }

    private static void connectAndDisconnect(String url) throws Exception {
        MqttClient client = new MqttClient(url, "private-test", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        client.connect(options);
        assertTrue(client.isConnected());
        client.disconnect();
        client.close();
    }

    private static void execute(String url, String user, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private static int single(String url, String user, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }
}
