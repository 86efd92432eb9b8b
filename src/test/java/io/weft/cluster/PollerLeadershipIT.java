package io.weft.cluster;

import io.weft.testing.PostgresDatabase;
import io.weft.testing.QmsDatabase;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftProcess;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three packaged instances on one PostgreSQL, with the QMS table (MariaDB) and the WMS inbox folder shared by all three,
 * as when Weft is scaled out: only the holder of a poller's leader lock polls, each row and file row is journaled and
 * delivered once, and when the leader is killed with -9 another instance takes the lock over within the lease time and
 * polls on, losing nothing and journaling nothing twice.
 */
class PollerLeadershipIT {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration RENEW = Duration.ofSeconds(2);
    private static final Pattern QMS_ROW = Pattern.compile("qms row (inspection-\\d+) published");
    private static final Pattern WMS_FILE = Pattern.compile("wms file: (\\d+) rows published, (\\d+) already journaled");
    private static final int ROWS_PER_FILE = 4;

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination erp = RecordingDestination.start("erp", "/api", 201);
    private final RecordingDestination mes = RecordingDestination.start("mes", "/api", 201);

    @AfterEach
    void stopDestinations() {
        erp.close();
        mes.close();
    }

    @Test
    void onlyTheLeaderPollsAndAnotherInstanceTakesOverWhenItIsKilled() throws Exception {
        String db = PostgresDatabase.create();
        String qms = QmsDatabase.create();
        Path wms = Files.createTempDirectory("weft-leadership-wms-");
        Path inbox = Files.createDirectories(wms.resolve("inbox"));
        Map<String, WeftProcess> instances = new HashMap<>();
        for (String name : List.of("poller-a", "poller-b", "poller-c")) {
            instances.put(name, weft.start(name, config(db, qms, wms, name)));
        }
        for (WeftProcess instance : instances.values()) {
            instance.awaitReady(Duration.ofSeconds(120));
        }

        // Round 1: rows and files while all three run.
        insertRows(qms, 30);
        dropFiles(inbox, "round1", 5);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                journaled(db, "qms") == 30 && journaled(db, "wms") == 5 * ROWS_PER_FILE);
        String qmsLeader = holder(db, "qms-inspections").orElseThrow();
        String wmsLeader = holder(db, "wms-inbox").orElseThrow();
        // Another poll interval: a second poller would show up now.
        Thread.sleep(RENEW.toMillis());
        for (Map.Entry<String, WeftProcess> instance : instances.entrySet()) {
            String output = instance.getValue().output();
            List<String> rows = matches(QMS_ROW, output, m -> m.group(1));
            List<String> files = matches(WMS_FILE, output, m -> m.group(0));
            if (instance.getKey().equals(qmsLeader)) {
                assertEquals(30, rows.size(), "the QMS leader published each row once: " + rows);
                assertEquals(30, rows.stream().distinct().count());
            } else {
                assertEquals(List.of(), rows, instance.getKey() + " does not lead qms-inspections and polled nothing");
            }
            if (instance.getKey().equals(wmsLeader)) {
                assertEquals(5, files.size(), "the WMS leader read each file once: " + files);
                assertTrue(files.stream().allMatch(f -> f.startsWith("wms file: " + ROWS_PER_FILE + " rows published, 0 ")));
            } else {
                assertEquals(List.of(), files, instance.getKey() + " does not lead wms-inbox and read no file");
            }
        }
        assertEquals(30 + 5 * ROWS_PER_FILE, journaledTotal(db), "each row journaled once, nothing else");

        // Round 2: the QMS leader dies (kill -9) while rows and files keep arriving.
        WeftProcess killed = instances.remove(qmsLeader);
        killed.kill();
        long killedAt = System.nanoTime();
        insertRows(qms, 30);
        dropFiles(inbox, "round2", 5);
        String newLeader = await().atMost(LEASE.plus(RENEW).plusSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> holder(db, "qms-inspections").orElse(qmsLeader), h -> !h.equals(qmsLeader));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        assertTrue(instances.containsKey(newLeader), "a surviving instance leads: " + newLeader);
        // The lock runs out at most a lease after the last renewal; a survivor tries every renew interval. The extra
        // seconds allow for this shared two-core machine.
        assertTrue(takeover.compareTo(LEASE.plus(RENEW).plusSeconds(3)) <= 0, "taken over in " + takeover);
        System.out.println("PollerLeadershipIT: qms-inspections taken over by " + newLeader + " "
                + takeover.toMillis() + " ms after kill -9 of " + qmsLeader + " (lease " + LEASE + ")");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                journaled(db, "qms") == 60 && journaled(db, "wms") == 10 * ROWS_PER_FILE);
        Thread.sleep(RENEW.toMillis() + 1000);
        assertEquals(60, journaled(db, "qms"), "every QMS row journaled once");
        assertEquals(10 * ROWS_PER_FILE, journaled(db, "wms"), "every WMS row journaled once");
        assertEquals(60 + 10 * ROWS_PER_FILE, journaledTotal(db));
        assertEquals(0, notExported(qms),
                "every row marked exported");
        assertEquals(List.of(), WmsFiles.names(inbox), "every file moved to done/");
        for (Map.Entry<String, WeftProcess> survivor : instances.entrySet()) {
            if (!survivor.getKey().equals(newLeader)) {
                assertEquals(List.of(), matches(QMS_ROW, survivor.getValue().output(), m -> m.group(1)),
                        survivor.getKey() + " never polled the QMS table: only the leader does");
            }
        }

        // Each QualityInspection reached the MES once, including those the killed instance had claimed (their
        // delivery lease ran out and a survivor delivered them).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                PostgresDatabase.count(db, "SELECT count(*) FROM delivery WHERE status <> 'DELIVERED'") == 0);
        Map<String, Long> atMes = mes.received().stream().filter(RecordingDestination.Received::accepted)
                .filter(r -> r.path().equals("/api/quality-results"))
                .collect(Collectors.groupingBy(RecordingDestination.Received::idempotencyKey, Collectors.counting()));
        assertEquals(60, atMes.size(), "every inspection at the MES");
        assertTrue(atMes.values().stream().allMatch(n -> n == 1), "none twice: " + atMes);
    }

    private Map<String, String> config(String db, String qms, Path wms, String instance) {
        Map<String, String> config = new HashMap<>(PostgresDatabase.weftConfig(db));
        config.putAll(QmsDatabase.weftConfig(qms));
        config.put("weft.instance-id", instance);
        config.put("weft.cluster.lease", LEASE.toSeconds() + "s");
        config.put("weft.cluster.renew-interval", RENEW.toSeconds() + "s");
        config.put("weft.systems.qms.inbound.enabled", "true");
        config.put("weft.systems.qms.poll-interval", "300");
        config.put("weft.systems.qms.max-rows-per-poll", "10");
        config.put("weft.systems.iot.inbound.enabled", "false");
        config.put("weft.systems.erp.url", erp.baseUrl());
        config.put("weft.systems.mes.url", mes.baseUrl());
        // One inbox and one outbox for all three, as on a shared volume.
        config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.systems.wms.poll-interval-ms", "300");
        config.put("weft.delivery.poll-interval", "200ms");
        // Deliveries the killed instance had claimed are taken over after this.
        config.put("weft.delivery.lease", "10s");
        return config;
    }

    private static void insertRows(String qms, int count) throws SQLException {
        try (Connection c = QmsDatabase.connect(qms);
             PreparedStatement s = c.prepareStatement("INSERT INTO inspection_result (lot_no, plant, material_no, order_no, "
                     + "batch_no, decision, characteristic, measured_value, unit, lower_limit, upper_limit, inspected_at) "
                     + "VALUES (?, 'P1', 'MAT-4711', '1000123', 'L-1000123-02', 'A', 'diameter', 12.01, 'MMT', 11.95, 12.05, "
                     + "'2026-12-03 08:00:00')")) {
            for (int i = 0; i < count; i++) {
                s.setString(1, "IL-LEAD-" + System.nanoTime());
                s.executeUpdate();
            }
        }
    }

    private static void dropFiles(Path inbox, String round, int files) {
        for (int f = 0; f < files; f++) {
            StringBuilder csv = new StringBuilder("receipt;site;po;received;line;sku;qty;uom;lot;bin\n");
            for (int l = 1; l <= ROWS_PER_FILE; l++) {
                csv.append("GR-").append(round).append('-').append(f).append(";WH-P1;4500001234;2026-11-28T07:15:00Z;")
                        .append(l).append(";MAT-4711;").append(l * 10).append(";EA;;A-01-0").append(l).append('\n');
            }
            WmsFiles.drop(inbox, "receipts-" + round + "-" + f + ".csv", csv.toString());
        }
    }

    private static long journaled(String db, String system) throws SQLException {
        return PostgresDatabase.count(db, "SELECT count(*) FROM message WHERE source_system = '" + system + "'");
    }

    private static long notExported(String qms) throws SQLException {
        try (Connection c = QmsDatabase.connect(qms);
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM inspection_result WHERE exported <> 'Y'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long journaledTotal(String db) throws SQLException {
        return PostgresDatabase.count(db, "SELECT count(*) FROM message");
    }

    private static Optional<String> holder(String db, String lock) throws SQLException {
        try (Connection c = PostgresDatabase.connect(db);
             PreparedStatement s = c.prepareStatement("SELECT holder FROM leader_lease WHERE lock_name = ?")) {
            s.setString(1, lock);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static <T> List<T> matches(Pattern pattern, String text, Function<Matcher, T> value) {
        Matcher m = pattern.matcher(text);
        List<T> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(value.apply(m));
        }
        return found;
    }
}
