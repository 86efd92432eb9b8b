package io.weft.mapping;

import io.weft.testing.TestFiles;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every example pair under {@code mappings/} (one test each: adding an example adds a test), with the
 * mapper, formats and schemas built as plain Java, no application started.
 */
class MappingExamplesTest {
    private static final Path MAPPINGS = Path.of("mappings");
    private static final MappingExamples EXAMPLES = MappingExamples.of(MAPPINGS);

    static Stream<Arguments> examples() {
        return EXAMPLES.discover().stream().map(e -> Arguments.of(Named.of(e.name(), e)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theMappingTurnsTheExampleInputIntoTheExpectedOutput(MappingExamples.Example example) {
        MappingExamples.Outcome outcome = EXAMPLES.run(example);
        assertTrue(outcome.passed(), outcome::report);
    }

    @Test
    void everyMappingHasAnExample() throws IOException {
        List<String> mappings;
        try (Stream<Path> files = Files.walk(MAPPINGS)) {
            mappings = files.filter(f -> f.toString().endsWith(".jsonata"))
                    .map(f -> MAPPINGS.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
        List<String> tested = EXAMPLES.discover().stream().map(MappingExamples.Example::mappingFile).distinct().toList();
        assertFalse(mappings.isEmpty());
        assertEquals(List.of(), mappings.stream().filter(m -> !tested.contains(m)).toList(), "mappings without an example");
    }

    @Test
    void aWrongExpectedOutputFailsWithADiffNamingEachDifferentField(@TempDir Path dir) throws IOException {
        TestFiles.copyTree(MAPPINGS, dir);
        Path expected = dir.resolve("erp/v1/examples/ProductionOrder.in/basic.expected.json");
        Files.writeString(expected, Files.readString(expected).replace("\"EA\"", "\"PC\"")
                .replace("\"plannedEnd\": \"2026-12-03\",", "").replace("\"quantity\": 500", "\"quantity\": 500.0"));
        MappingExamples examples = MappingExamples.of(dir);
        MappingExamples.Example example = examples.discover().stream()
                .filter(e -> e.expected().equals(expected)).findFirst().orElseThrow();

        MappingExamples.Outcome outcome = examples.run(example);

        assertFalse(outcome.passed());
        String report = outcome.report();
        assertTrue(report.startsWith("""
                erp/v1/ProductionOrder.in.jsonata: basic:
                  the output differs from erp/v1/examples/ProductionOrder.in/basic.expected.json:
                    $.plannedEnd: not expected, was "2026-12-03"
                    $.unit: expected "PC" but was "EA"
                  the whole output was:
                    {
                      "orderNumber" : "1000123",
                """), report);
        // 500 and 500.0 are the same number: no line for the quantity.
        assertFalse(report.contains("$.quantity"), report);
    }
}
