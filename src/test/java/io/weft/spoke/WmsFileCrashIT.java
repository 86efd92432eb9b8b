package io.weft.spoke;

import io.weft.testing.PostgresDatabase;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftProcess;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large WMS goods receipt file, Weft killed with -9 while it is publishing the rows, then restarted: the file is
 * read again from the start, and every row is journaled exactly once (the rows published before the kill are
 * recognised by their source message id, file name + line + content digest).
 */
class WmsFileCrashIT {
    private static final int RECEIPTS = 300;
    private static final int LINES_PER_RECEIPT = 10;
    private static final int ROWS = RECEIPTS * LINES_PER_RECEIPT;

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination erp = RecordingDestination.start("erp", "/", 201);

    @AfterEach
    void stopErp() {
        erp.close();
    }

    @Test
    void aFileBeingReadWhenWeftIsKilledIsReadAgainAfterTheRestartAndEveryRowIsJournaledOnce() throws Exception {
        String db = PostgresDatabase.create();
        Path wms = Files.createTempDirectory("weft-wms-crash-");
        Path inbox = Files.createDirectories(wms.resolve("inbox"));
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.profile", "pg");
        config.put("quarkus.datasource.pg.jdbc.url", db);
        config.put("quarkus.datasource.pg.username", PostgresDatabase.USER);
        config.put("quarkus.datasource.pg.password", PostgresDatabase.CANARY_PASSWORD);
        config.put("weft.instance-id", "wms-crash-it");
        config.put("weft.systems.erp.url", erp.baseUrl());
        config.put("weft.systems.wms.inbox", "file:" + inbox);
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.systems.wms.poll-interval-ms", "200");

        StringBuilder csv = new StringBuilder("receipt;site;po;received;line;sku;qty;uom;lot;bin\n");
        for (int r = 0; r < RECEIPTS; r++) {
            for (int l = 1; l <= LINES_PER_RECEIPT; l++) {
                csv.append("GR-CRASH-").append(r).append(";WH-P1;4500001234;2026-11-28T07:15:00Z;").append(l)
                        .append(";MAT-4711;").append(r + l).append(";EA;;A-01-0").append(l % 10).append('\n');
            }
        }
        String name = "receipts-big.csv";

        WeftProcess first = weft.start("wms-crash-first", config).awaitReady(Duration.ofSeconds(60));
        WmsFiles.drop(inbox, name, csv.toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> journaled(db) >= ROWS / 10);
        first.kill();
        long atKill = journaled(db);
        System.out.printf("killed with %d of %d rows journaled%n", atKill, ROWS);
        assertTrue(atKill < ROWS, "the kill must come mid-file; all " + atKill + " rows were already journaled");
        assertTrue(Files.isRegularFile(inbox.resolve(name)), "an unfinished file stays in the inbox");
        assertFalse(Files.exists(inbox.resolve("done").resolve(name)));

        WeftProcess second = weft.start("wms-crash-restarted", config).awaitReady(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> Files.isRegularFile(inbox.resolve("done").resolve(name)));
        second.stop();

        assertEquals(ROWS, journaled(db), "every row journaled");
        assertEquals(ROWS, count(db, "SELECT count(DISTINCT source_message_id) FROM message WHERE source_system = 'wms'"));
        // Exactly once per row: each receipt has its ten lines, each line once.
        assertEquals(0, count(db, "SELECT count(*) FROM (SELECT subject FROM message WHERE source_system = 'wms' "
                + "GROUP BY subject HAVING count(*) <> " + LINES_PER_RECEIPT + ") wrong"));
        assertEquals(RECEIPTS, count(db, "SELECT count(DISTINCT subject) FROM message WHERE source_system = 'wms'"));
        assertEquals(ROWS, count(db, "SELECT count(*) FROM delivery WHERE destination = 'erp'"), "one ERP delivery per row");
        assertEquals(0, count(db, "SELECT count(*) FROM inbound_rejection"));
        // The restarted instance read the file from the start: what was journaled before the kill is acknowledged
        // as already journaled, the rest published.
        java.util.regex.Matcher summary = java.util.regex.Pattern
                .compile("wms file: (\\d+) rows published, (\\d+) already journaled, (\\d+) refused").matcher(second.output());
        assertTrue(summary.find(), "the summary line of the file\n" + second.tail(50));
        long published = Long.parseLong(summary.group(1));
        long already = Long.parseLong(summary.group(2));
        assertTrue(already >= atKill, already + " rows found already journaled, " + atKill + " were at the kill");
        assertEquals(ROWS, published + already);
        assertEquals("0", summary.group(3));
    }

    private static long journaled(String db) throws SQLException {
        return count(db, "SELECT count(*) FROM message WHERE source_system = 'wms'");
    }

    private static long count(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db, PostgresDatabase.USER, "");
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
