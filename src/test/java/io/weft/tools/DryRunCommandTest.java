package io.weft.tools;

import io.weft.testing.TestFiles;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./validate.sh --dry-run} against a real journal: an embedded store migrated by Weft's own migrations,
 * holding three production orders (and a purchase order, which is not the type asked for).
 */
class DryRunCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDryRunReportsTheChangedFieldForEachOfTheLastMessagesOfTheType() throws Exception {
        Path mappings = TestFiles.copyTree(Path.of("mappings"), dir.resolve("mappings"));
        String live = Files.readString(mappings.resolve("mes/ProductionOrder.out.jsonata"));
        Files.createDirectories(mappings.resolve("mes/candidate"));
        Files.writeString(mappings.resolve("mes/candidate/ProductionOrder.out.jsonata"),
                live.replace("\"line\": data.plant", "\"line\": \"LINE-\" & data.plant"));
        String url = "jdbc:h2:file:" + dir.resolve("data/weft") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Flyway.configure().dataSource(url, "", "").locations("filesystem:src/main/resources/db/migration").load().migrate();
        String example = Files.readString(Path.of("mappings/mes/examples/ProductionOrder.out/basic.input.json"));
        try (Connection c = DriverManager.getConnection(url)) {
            for (int i = 1; i <= 4; i++) {
                String id = "00000000-0000-7000-8000-00000000000" + i;
                insert(c, id, i == 4 ? "PurchaseOrder" : "ProductionOrder", "ORD-" + i,
                        example.replace("01890a5d-ac96-774b-bcce-b302099a8057", id).replace("1000123", "ORD-" + i), i);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DryRunCommand.Options options = DryRunCommand.parse(new String[]{"--dry-run",
                mappings + "/mes/candidate/ProductionOrder.out.jsonata", "--type", "ProductionOrder", "--last", "2",
                "--store", url, mappings.toString()});
        int exit = DryRunCommand.run(options, Map.<String, String>of()::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(
                "00000000-0000-7000-8000-000000000003 (ORD-3): DIFFERENT",
                "  /line: live \"P1\", candidate \"LINE-P1\"",
                "00000000-0000-7000-8000-000000000002 (ORD-2): DIFFERENT",
                "  /line: live \"P1\", candidate \"LINE-P1\"",
                "dry run of mes/candidate/ProductionOrder.out.jsonata against mes/ProductionOrder.out.jsonata over 2 "
                        + "ProductionOrder messages: 0 same, 2 different, 0 failed"), lines);
    }

    @Test
    void badUsageAndAMissingStoreAreReportedNotThrown() {
        assertEquals(null, DryRunCommand.parse(new String[]{"--dry-run", "mes/candidate/x.out.jsonata", "--type", "X"}));
        assertEquals(null, DryRunCommand.parse(new String[]{"--dry-run", "x", "--type", "X", "--last", "many"}));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DryRunCommand.Options options = DryRunCommand.parse(new String[]{"--dry-run",
                "mes/candidate/ProductionOrder.out.jsonata", "--type", "ProductionOrder", "--last", "2",
                "--live", "mes/ProductionOrder.out.jsonata", "--store",
                "jdbc:h2:file:" + dir.resolve("none/weft") + ";IFEXISTS=TRUE"});
        int exit = DryRunCommand.run(new DryRunCommand.Options("mes/ProductionOrder.out.jsonata", options.live(),
                        options.type(), options.last(), options.store(), Path.of("mappings")), Map.<String, String>of()::get,
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read the journal"), err.toString());
    }

    private static void insert(Connection c, String id, String type, String subject, String envelope, int second)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message (id, source_system, source_message_id, type, "
                + "subject, received_at, envelope) VALUES (?, 'erp', ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, "src-" + id);
            ps.setString(3, type);
            ps.setString(4, subject);
            ps.setTimestamp(5, Timestamp.from(Instant.parse("2026-12-01T08:00:00Z").plusSeconds(second)));
            ps.setString(6, envelope);
            ps.executeUpdate();
        }
    }
}
