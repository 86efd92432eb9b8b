package io.weft.tools;

import com.dashjoin.jsonata.JException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.mapping.CanonicalSchemas;
import io.weft.mapping.Formats;
import io.weft.mapping.MappingException;
import io.weft.mapping.MappingExamples;
import io.weft.mapping.Mappings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mappings folder: every lookup table, canonical schema (JSON Schema 2020-12 with a business key), JSONata
 * mapping (compiles; every {@code $weftLookup} names an existing table and column), BeanIO layout, and every
 * mapping example run as the tests run it.
 */
final class MappingChecks {
    private static final Pattern LOOKUP_CALL = Pattern.compile(
            "\\$weftLookup(Key)?\\(\\s*['\"]([^'\"]+)['\"](?:\\s*,\\s*[^,()]+(?:\\([^()]*\\))?\\s*,\\s*['\"]([^'\"]+)['\"])?");

    private final Findings findings;
    private final Path mappingsDir;
    private final Mappings mapper;
    private final ObjectMapper json = new ObjectMapper();

    MappingChecks(Findings findings, Path mappingsDir, Mappings mapper) {
        this.findings = findings;
        this.mappingsDir = mappingsDir;
        this.mapper = mapper;
    }

    void check() {
        findings.checked(Findings.files(mappingsDir.resolve("lookups"), ".csv").size());
        mapper.lookups().problems().forEach(p -> findings.add(p.file(), p.line(), 0, p.message()));
        checkSchemas();
        checkMappings();
        checkLayouts();
        checkExamples();
    }

    private void checkSchemas() {
        for (Path file : Findings.files(mappingsDir.resolve("schemas"), ".schema.json")) {
            findings.checked(1);
            try {
                JsonNode schema = json.readTree(file.toFile());
                for (String problem : CanonicalSchemas.problemsOf(schema)) {
                    findings.add(file, 0, 0, problem);
                }
            } catch (JsonProcessingException e) {
                findings.add(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                        e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                findings.add(file, 0, 0, "cannot read: " + e.getMessage());
            }
        }
    }

    private void checkMappings() {
        for (Path file : Findings.files(mappingsDir, ".jsonata")) {
            findings.checked(1);
            String name = relative(file);
            try {
                mapper.compile(name);
            } catch (MappingException e) {
                int offset = e.getCause() instanceof JException j ? j.getLocation() : -1;
                Mappings.Position at = mapper.position(name, offset);
                findings.add(file, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                        "does not compile: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
                continue;
            }
            String text = findings.text(file);
            Matcher m = LOOKUP_CALL.matcher(text == null ? "" : text);
            while (m.find()) {
                String table = m.group(2);
                Optional<List<String>> columns = mapper.lookups().columns(table);
                if (columns.isEmpty()) {
                    findings.at(file, m.start(2), "no lookup table '" + table + "' ("
                            + mappingsDir.resolve("lookups/" + table + ".csv") + ")");
                } else if (m.group(3) != null && !columns.get().contains(m.group(3))) {
                    findings.at(file, m.start(3), "lookup table '" + table + "' has no column '" + m.group(3)
                            + "'; columns: " + columns.get());
                }
            }
        }
    }

    private void checkLayouts() {
        Formats formats = new Formats(json, mappingsDir);
        for (Path file : Findings.files(mappingsDir, ".layout.xml")) {
            findings.checked(1);
            try {
                formats.checkLayout(relative(file));
            } catch (MappingException e) {
                findings.add(file, 0, 0, e.getMessage().replaceFirst("^mapping \\S+ failed: ", ""));
            }
        }
    }

    private void checkExamples() {
        MappingExamples examples;
        try {
            examples = MappingExamples.of(mappingsDir);
        } catch (RuntimeException e) {
            findings.add(mappingsDir, 0, 0, "cannot run the examples: " + e.getMessage());
            return;
        }
        for (MappingExamples.Example example : examples.discover()) {
            findings.checked(1);
            MappingExamples.Outcome outcome = examples.run(example);
            if (outcome.passed()) {
                continue;
            }
            // A difference belongs to the expected file; anything else (a failing mapping) to the input.
            Path file = outcome.problems().get(0).startsWith("the output differs") ? example.expected() : example.input();
            List<String> lines = outcome.problems();
            int stop = lines.indexOf("the whole output was:");
            for (String line : stop < 0 ? lines : lines.subList(0, stop)) {
                if (!line.startsWith("the output differs")) {
                    findings.add(file, 0, 0, line.strip() + " (example of " + example.mappingFile() + ")");
                }
            }
        }
    }

    private String relative(Path file) {
        return mappingsDir.relativize(file).toString().replace('\\', '/');
    }
}
