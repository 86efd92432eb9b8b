package io.weft.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.testing.ProcessStore;
import io.weft.testing.QmsDatabase;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source that refuses Weft's login (the demo's QMS "Access denied") is logged once when it goes down and once
 * when it is back, read from the packaged Weft's own log: not a WARN per poll or probe, and never the SQL
 * consumer's URI with its query. Meanwhile /api/systems shows the error and its time, and clears both once the
 * QMS answers again.
 */
class OutageLogIT {

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    @Test
    void aQmsThatRefusesTheLoginIsOneWarnDownAndOneInfoBack() throws Exception {
        String url = QmsDatabase.create();
        String database = url.substring(url.lastIndexOf('/') + 1);
        String user = "weft_it_" + UUID.randomUUID().toString().substring(0, 8);
        String presented = "presented-" + UUID.randomUUID().toString().substring(0, 8);
        sql(url, "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'another-" + UUID.randomUUID() + "'",
                "GRANT ALL ON " + database + ".* TO '" + user + "'@'%'");

        Map<String, String> config = new HashMap<>(ProcessStore.Kind.H2.create().weftConfig());
        config.putAll(QmsDatabase.weftConfig(url));
        config.put("quarkus.datasource.qms.username", user);
        config.put("quarkus.datasource.qms.password", presented);
        config.put("weft.systems.qms.inbound.enabled", "true");
        config.put("weft.systems.qms.poll-interval", "300");
        config.put("weft.health.probe-interval", "1s");
        WeftProcess process = weft.start("qms-access-denied", config).awaitReady(Duration.ofSeconds(90));

        await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(qms(process).path("reachability").asText()));
        Thread.sleep(6000); // some 20 polls and 6 probes of a QMS that refuses the login
        JsonNode down = qms(process);
        assertTrue(down.path("lastError").asText().contains("Access denied"), down.toString());
        assertNotNull(down.path("lastErrorAt").textValue(), down.toString());

        sql(url, "ALTER USER '" + user + "'@'%' IDENTIFIED BY '" + presented + "'");
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(qms(process).path("reachability").asText()));
        Thread.sleep(2000);
        JsonNode up = qms(process);
        assertTrue(up.path("lastError").isNull(), up.toString());
        assertTrue(up.path("lastErrorAt").isNull(), up.toString());
        JsonNode history = WeftApi.get(process, "/api/systems/qms").path("reachabilityHistory");
        assertTrue(history.size() >= 2 && history.path(0).path("reachable").asBoolean()
                && !history.path(1).path("reachable").asBoolean(), history.toString());
        process.stop();

        List<String> log = Files.readAllLines(process.log());
        List<String> warns = log.stream().filter(l -> l.contains(" WARN ")).toList();
        List<String> denied = warns.stream().filter(l -> l.contains("Access denied")).toList();
        assertEquals(1, denied.size(), "one WARN for the refused login:\n" + String.join("\n", denied));
        assertTrue(denied.get(0).contains("system qms is DOWN"), denied.get(0));
        assertTrue(denied.get(0).length() < 500, "a short line: " + denied.get(0));
        assertTrue(warns.stream().noneMatch(l -> l.contains("inspection_result") || l.contains("sql:")),
                "no WARN holds the SQL consumer's URI");
        assertEquals(1, log.stream().filter(l -> l.contains(" INFO ") && l.contains("system qms is back UP")).count());
        // The file starts with the command line the test ran (its -D options); Weft's own lines follow.
        assertTrue(log.stream().filter(l -> l.matches("\\d{4}-\\d\\d-\\d\\d .*")).noneMatch(l -> l.contains(presented)),
                "the password is never logged");
    }

    private static JsonNode qms(WeftProcess process) {
        for (JsonNode system : WeftApi.get(process, "/api/systems")) {
            if ("qms".equals(system.path("name").asText())) {
                return system;
            }
        }
        throw new AssertionError("no qms in /api/systems");
    }

    private static void sql(String url, String... statements) throws Exception {
        try (Connection c = QmsDatabase.connect(url); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
