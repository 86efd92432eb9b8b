package io.weft.spoke;

import io.weft.testing.ProcessStore;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large WMS goods receipt file, Weft killed with -9 while it is publishing the rows, then restarted: the file is
 * read again from the start, and every row is journaled exactly once (the rows published before the kill are
 * recognised by their source message id, file name + line + content digest). On each store. The ERP is down until
 * the restart, so each row's goods receipt reaches it exactly once, from the restarted instance.
 */
class WmsFileCrashIT {
    private static final int RECEIPTS = 100;
    private static final int LINES_PER_RECEIPT = 10;
    private static final int ROWS = RECEIPTS * LINES_PER_RECEIPT;

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination erp = RecordingDestination.start("erp", "/", 201);

    @AfterEach
    void stopErp() {
        erp.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessStore.Kind.class)
    void aFileBeingReadWhenWeftIsKilledIsReadAgainAfterTheRestartAndEveryRowIsJournaledOnce(ProcessStore.Kind kind)
            throws Exception {
        ProcessStore db = kind.create();
        Path wms = Files.createTempDirectory("weft-wms-crash-");
        Path inbox = Files.createDirectories(wms.resolve("inbox"));
        Map<String, String> config = new HashMap<>(db.weftConfig());
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.delivery.poll-interval", "200ms");
        config.put("weft.delivery.max-backoff", "1s");
        config.put("weft.delivery.max-attempts", "1000");
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

        erp.goDown();
        WeftProcess first = weft.start("wms-crash-first", config).awaitReady(Duration.ofSeconds(60));
        WmsFiles.drop(inbox, name, csv.toString());
        // Through the operations API: the embedded store is the running process's own file.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> WeftApi.get(first, "/api/messages?source=wms&limit=" + ROWS / 10).size() >= ROWS / 10);
        first.kill();
        db.awaitReleasedByKilledInstance();
        long atKill = journaled(db);
        System.out.printf("killed with %d of %d rows journaled%n", atKill, ROWS);
        assertTrue(atKill < ROWS, "the kill must come mid-file; all " + atKill + " rows were already journaled");
        assertTrue(Files.isRegularFile(inbox.resolve(name)), "an unfinished file stays in the inbox");
        assertFalse(Files.exists(inbox.resolve("done").resolve(name)));

        erp.comeBack();
        WeftProcess second = weft.start("wms-crash-restarted", config).awaitReady(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> Files.isRegularFile(inbox.resolve("done").resolve(name))
                        && erpRequestsPerMessage().size() >= ROWS && WeftApi.unfinished(second, "erp") == 0);
        assertEquals(ROWS, erpRequestsPerMessage().size(), "one goods receipt message per row reached the ERP");
        // Poll intervals and retry backoffs later: still one request per message.
        Thread.sleep(3_000);
        Map<String, Long> atErp = erpRequestsPerMessage();
        assertEquals(Map.of(), erpRequestsPerMessage().entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "ERP requests other than one per message");
        second.stop();
        // Read after the stop: the embedded store's file is the running process's own.
        io.weft.testing.FaultLedger.record("kill -9 mid-file (" + ROWS + " rows of one WMS file)", kind.toString(), ROWS,
                journaled(db), atErp.size(), atErp.values().stream().mapToLong(n -> n - 1).sum(),
                "acknowledged = rows of the dropped file (moved to done/ after the restart); confirmed = distinct receipts at the ERP");
        assertEquals(erpRequestsPerMessage().keySet(), db.strings("SELECT id FROM message WHERE source_system = 'wms'"),
                "the ERP received exactly the journaled rows");

        assertEquals(ROWS, journaled(db), "every row journaled");
        assertEquals(ROWS, db.count("SELECT count(DISTINCT source_message_id) FROM message WHERE source_system = 'wms'"));
        // Exactly once per row: each receipt has its ten lines, each line once.
        assertEquals(0, db.count("SELECT count(*) FROM (SELECT subject FROM message WHERE source_system = 'wms' "
                + "GROUP BY subject HAVING count(*) <> " + LINES_PER_RECEIPT + ") wrong"));
        assertEquals(RECEIPTS, db.count("SELECT count(DISTINCT subject) FROM message WHERE source_system = 'wms'"));
        assertEquals(ROWS, db.count("SELECT count(*) FROM delivery WHERE destination = 'erp' AND status = 'DELIVERED'"),
                "one ERP delivery per row, delivered");
        assertEquals(0, db.count("SELECT count(*) FROM inbound_rejection"));
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

    /** Requests the ERP received, per Idempotency-Key (the message id), whatever it answered. */
    private Map<String, Long> erpRequestsPerMessage() {
        return erp.received().stream()
                .collect(Collectors.groupingBy(r -> String.valueOf(r.idempotencyKey()), Collectors.counting()));
    }

    private static long journaled(ProcessStore db) {
        return db.count("SELECT count(*) FROM message WHERE source_system = 'wms'");
    }
}
