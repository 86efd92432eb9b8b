package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.inbound.ErrorReport;
import io.weft.store.Store;
import io.weft.testing.Destinations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WMS spoke (a drop folder, no caller to answer) under the generated bad files of {@link WmsFileCases}: every
 * file is finished (moved to done/) on its first read instead of failing on every poll; each bad row is refused on
 * its own (listed in done/<file>.errors.csv and recorded once at GET /api/rejections) and journals nothing; every
 * good row is journaled once; a poll later all of it is still so; Weft is live and takes a valid order afterwards.
 */
abstract class WmsBadInputSuite {
    private static final List<WmsFileCases.FileCase> FILES = WmsFileCases.generate();

    @Inject
    Store store;

    static List<WmsFileCases.FileCase> files() {
        return FILES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachBadRowIsRefusedAloneAndTheGoodRowsFlow(WmsFileCases.FileCase file) throws Exception {
        long before = journaled();
        Path inbox = Destinations.wmsInbox();
        Path temp = inbox.resolve(".part-" + file.number());
        Files.write(temp, file.content());
        Files.move(temp, inbox.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);

        Path done = inbox.resolve("done").resolve(file.name());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertTrue(Files.isRegularFile(done) && !Files.exists(inbox.resolve(file.name())),
                        file + " finished and moved to done/"));
        long bad = file.rows().size() - file.good();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRowsAccountedFor(file, before, bad));
        // Another poll interval or two: nothing is read again, recorded again or journaled twice.
        Thread.sleep(1_000);
        assertRowsAccountedFor(file, before, bad);
        List<String> report = Files.readAllLines(inbox.resolve("done").resolve(ErrorReport.name(file.name())), StandardCharsets.UTF_8);
        assertEquals(bad + 1, report.size(), "the error report lists each bad row under its header line");
    }

    private void assertRowsAccountedFor(WmsFileCases.FileCase file, long before, long bad) {
        assertEquals(before + file.good(), journaled(), file + ": only the good rows are journaled");
        JsonNode rejections = WeftHttp.get("/api/rejections?source=wms&limit=1000&origin="
                + URLEncoder.encode(file.name(), StandardCharsets.UTF_8)).json();
        assertEquals(bad, rejections.size(), file + ": one rejection per bad row");
        for (int i = 0; i < file.rows().size(); i++) {
            WmsFileCases.Row row = file.rows().get(i);
            String locator = "line " + (i + 2);
            boolean recorded = false;
            for (JsonNode r : rejections) {
                recorded |= locator.equals(r.path("locator").asText());
            }
            assertEquals(!row.good(), recorded, file + " " + locator + " (" + row.kind() + ") recorded as rejected");
            JsonNode journaled = WeftHttp.get("/api/messages?businessKey=" + row.receipt()).json();
            assertEquals(row.good() ? 1 : 0, journaled.size(), file + " " + locator + " (" + row.kind() + ") journaled");
        }
    }

    @Test
    void weftIsLiveAfterwards() {
        HttpBadInputSuite.weftIsLiveAndAcceptsAValidOrder();
    }

    private long journaled() {
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM message");
                 ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

}
