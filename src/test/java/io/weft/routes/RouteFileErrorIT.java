package io.weft.routes;

import io.weft.testing.TestFiles;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route file that does not parse stops start-up, and the output names the file and the line, so the plant's
 * IT team finds its mistake without reading a stack trace. The packaged Weft runs on a copy of the sample
 * plant's routes/ with one file broken, on an embedded store in a temp folder.
 */
class RouteFileErrorIT {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    @TempDir
    Path temp;

    @Test
    void anUnclosedQuoteStopsStartUpNamingTheFileAndLine() throws IOException {
        Path routes = copyOfRoutes();
        Path mes = routes.resolve("systems/mes.camel.yaml");
        int line = replaceInLine(mes, "- to: \"bean:mapper?method=map(${body}, 'mes/ProductionOrder.out.jsonata')\"",
                "- to: \"bean:mapper?method=map(${body}, 'mes/ProductionOrder.out.jsonata')");

        String output = startExpectingFailure("route-unclosed-quote", routes);

        assertTrue(output.contains("in file:" + mes + ", line " + line + ","),
                "the output names " + mes + " and line " + line);
    }

    @Test
    void aBadIndentationStopsStartUpNamingTheFileAndLine() throws IOException {
        Path routes = copyOfRoutes();
        Path mes = routes.resolve("systems/mes.camel.yaml");
        // One space too many: the line continues the `name:` value, where a mapping is not allowed.
        int line = replaceInLine(mes, "                      constant: /api/work-orders",
                "                       constant: /api/work-orders");

        String output = startExpectingFailure("route-bad-indentation", routes);

        assertTrue(output.contains("in file:" + mes + ", line " + line + ","),
                "the output names " + mes + " and line " + line);
    }

    @Test
    void anUnknownDslElementStopsStartUpNamingTheFileAndTheElement() throws IOException {
        Path routes = copyOfRoutes();
        Path mes = routes.resolve("systems/mes.camel.yaml");
        int line = replaceInLine(mes, "- setHeader:", "- setHeadr:");

        String output = startExpectingFailure("route-unknown-element", routes);

        assertTrue(output.contains("Unknown node id: setHeadr"), "the output names the unknown element");
        assertTrue(output.contains("in file:" + mes + ", line " + line + ","),
                "the output names " + mes + " and line " + line);
    }

    /** Starts Weft on {@code routes} and returns its output once it has exited, non-zero, by itself. */
    private String startExpectingFailure(String name, Path routes) {
        WeftProcess process = weft.start(name, Map.of(
                "weft.routes-dir", routes.toString(),
                "weft.data-dir", temp.resolve("data").toString()));
        int exit = process.awaitExit(EXIT_WITHIN);
        String output = process.output();
        assertNotEquals(0, exit, "start-up must fail");
        assertTrue(output.contains("Failed to start"), "the output says start-up failed");
        assertEquals(-1, output.indexOf("Listening on:"), "Weft never served requests");
        return output;
    }

    private Path copyOfRoutes() throws IOException {
        Path source = WeftProcess.projectDir().resolve("routes");
        Path target = temp.resolve("routes");
        TestFiles.copyTree(source, target);
        return target;
    }

    /** Replaces the first line containing {@code find}; returns that line's number (1-based). */
    private static int replaceInLine(Path file, String find, String replacement) throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(find)) {
                lines.set(i, lines.get(i).replace(find, replacement));
                Files.write(file, lines);
                return i + 1;
            }
        }
        throw new IllegalStateException(file + " has no line containing " + find);
    }
}
