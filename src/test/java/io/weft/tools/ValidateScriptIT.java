package io.weft.tools;

import io.weft.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./validate.sh} as a plant's CI runs it: on the packaged application, in a few seconds. */
class ValidateScriptIT {

    @Test
    void theShippedPlantPassesAndExitsZero() throws Exception {
        Result result = run(Path.of("").toAbsolutePath(), "routes", "mappings");
        assertEquals(0, result.code(), result.output());
        assertTrue(result.output().contains("no problems"), result.output());
    }

    @Test
    void aBrokenRouteFileExitsOneNamingTheFileLineAndColumn(@TempDir Path plant) throws Exception {
        TestFiles.copyTree(Path.of("routes"), plant.resolve("routes"));
        TestFiles.copyTree(Path.of("mappings"), plant.resolve("mappings"));
        Path erp = plant.resolve("routes/systems/erp.camel.yaml");
        Files.writeString(erp, Files.readString(erp).replace("- to: bean:hub?method=publish", "- tox: bean:hub?method=publish"));

        Result result = run(plant, "routes", "mappings");

        assertEquals(1, result.code(), result.output());
        assertTrue(result.output().lines().anyMatch(l -> l.matches("routes/systems/erp\\.camel\\.yaml:\\d+:\\d+: Unknown node id: tox")),
                result.output());
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path workDir, String... args) throws Exception {
        String script = Path.of("validate.sh").toAbsolutePath().toString();
        String[] command = Stream.concat(Stream.of(script), Stream.of(args)).toArray(String[]::new);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "validate.sh took more than 60 s");
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
