package io.weft.observe;

import io.weft.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs after the unit tests and the process tests (failsafe) and reads every log Weft wrote during the run:
 * the in-JVM test applications' output (surefire writes it to target/surefire-reports/*-output.txt) and the
 * packaged processes' output. No secret (the database
 * password canary, the test API keys and operator passwords) and no payload (field names and values only found inside sample messages) may appear.
 */
class LogHygieneIT {
    /** Only message bodies contain these: ERP, MES and WMS field names and the sample material. */
    private static final List<String> PAYLOAD_MARKERS = List.of("AUFNR", "GAMNG", "workOrderId", "orderRef", "MAT-4711");
    private static final Pattern LOG_RECORD = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ");
    private static final Pattern STACK_TRACE = Pattern.compile("\\s+at |\\s+\\.\\.\\. |Caused by: |\\s+Suppressed: ");
    /** The API keys and operator passwords every test presents (io.weft.testing.Auth). */
    private static final List<String> TEST_SECRETS = java.util.stream.Stream.concat(
            io.weft.testing.Auth.SYSTEMS.stream().map(io.weft.testing.Auth::key),
            io.weft.testing.Auth.OPERATORS.keySet().stream().map(io.weft.testing.Auth::password)).toList();
    /** Test peers, and the demo's simulated MES (DemoIT), log what they receive; they are not Weft. */
    private static final List<String> NOT_WEFT = List.of("com.github.tomakehurst", "wiremock", "WireMock",
            "[io.wef.dem.DemoPlant]");

    private static void collect(List<Path> logs, String dir, String suffix) throws IOException {
        Path folder = Path.of(dir);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.getFileName().toString().endsWith(suffix)).forEach(logs::add);
            }
        }
    }

    @Test
    void noSecretOrPayloadIsLogged() throws IOException {
        List<Path> logs = new ArrayList<>();
        collect(logs, "target/surefire-reports", "-output.txt");
        collect(logs, "target/weft-processes", ".log");
        assertFalse(logs.isEmpty(), "no logs found: run the whole suite (mvn verify)");
        long lines = 0;
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            List<String> content = Files.readAllLines(log);
            boolean inRecord = false;
            for (int i = 0; i < content.size(); i++) {
                String line = content.get(i);
                // A log record starts with its timestamp; its stack trace lines follow it. Anything else in
                // these files is the test harness talking (e.g. REST Assured printing a response it checked).
                if (LOG_RECORD.matcher(line).lookingAt()) {
                    inRecord = NOT_WEFT.stream().noneMatch(line::contains);
                } else if (!(inRecord && STACK_TRACE.matcher(line).lookingAt())) {
                    inRecord = false;
                }
                if (!inRecord) {
                    continue;
                }
                lines++;
                if (line.contains(PostgresDatabase.CANARY_PASSWORD)) {
                    leaks.add(log + ":" + (i + 1) + ": secret: " + line);
                }
                for (String secret : TEST_SECRETS) {
                    if (line.contains(secret)) {
                        leaks.add(log + ":" + (i + 1) + ": a test credential: " + line);
                    }
                }
                for (String marker : PAYLOAD_MARKERS) {
                    if (line.contains(marker)) {
                        leaks.add(log + ":" + (i + 1) + ": payload (" + marker + "): " + line);
                    }
                }
            }
        }
        assertTrue(lines > 200, "expected the logs of a whole run, read " + lines + " lines from " + logs);
        assertTrue(leaks.isEmpty(), leaks.size() + " log lines leak secrets or payloads:\n"
                + String.join("\n", leaks.subList(0, Math.min(20, leaks.size()))));
    }
}
