package io.weft.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The example pairs that prove each mapping: for a mapping {@code <dir>/<name>.jsonata}, every
 * {@code <dir>/examples/<name>/<case>.input.<ext>} with its {@code <case>.expected.json}. The input is JSON,
 * or XML ({@code .xml}), CSV ({@code .csv}, separator as its header line uses: {@code , ; | tab}) or
 * fixed-width records ({@code .txt}, read through {@code <dir>/<Type>.layout.xml}), converted by
 * {@link Formats} as a route would. The mapping's output must equal the expected JSON; an inbound mapping's
 * output ({@code <Type>.in.jsonata}) must also be valid against the canonical schema of {@code <Type>}, and an
 * outbound mapping's input ({@code <Type>.out.jsonata}, a CloudEvent) must carry valid {@code data}.
 */
public final class MappingExamples {
    public static final String EXPECTED = ".expected.json";

    public record Example(String mappingFile, Path input, Path expected) {
        /** "erp/v1/ProductionOrder.in.jsonata: basic". */
        public String name() {
            String file = input.getFileName().toString();
            return mappingFile + ": " + file.substring(0, file.indexOf(".input."));
        }
    }

    /** What running an example found: nothing when it passed, else readable lines. */
    public record Outcome(Example example, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }

        public String report() {
            return example.name() + (passed() ? ": passed" : ":\n  " + String.join("\n  ", problems));
        }
    }

    private final Path mappingsDir;
    private final Mappings mapper;
    private final Formats formats;
    private final CanonicalSchemas schemas;
    private final ObjectMapper json = new ObjectMapper();

    public MappingExamples(Path mappingsDir, Mappings mapper, Formats formats, CanonicalSchemas schemas) {
        this.mappingsDir = mappingsDir;
        this.mapper = mapper;
        this.formats = formats;
        this.schemas = schemas;
    }

    /** A checker over a mappings folder, built without CDI (broken schemas are left out, not fatal). */
    public static MappingExamples of(Path mappingsDir) {
        ObjectMapper json = new ObjectMapper();
        return new MappingExamples(mappingsDir, Mappings.standalone(mappingsDir), new Formats(json, mappingsDir),
                new CanonicalSchemas(json, mappingsDir.resolve("schemas"), true));
    }

    /** Every example under the mappings folder, in a stable order. */
    public List<Example> discover() {
        List<Example> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(mappingsDir)) {
            for (Path input : files.filter(f -> f.getFileName().toString().contains(".input.")).sorted().toList()) {
                Path caseDir = input.getParent();
                Path examplesDir = caseDir.getParent();
                if (examplesDir == null || !examplesDir.getFileName().toString().equals("examples")) {
                    continue;
                }
                Path mapping = examplesDir.getParent().resolve(caseDir.getFileName() + ".jsonata");
                String caseName = input.getFileName().toString().substring(0, input.getFileName().toString().indexOf(".input."));
                found.add(new Example(relative(mapping), input, caseDir.resolve(caseName + EXPECTED)));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    public Outcome run(Example example) {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(mappingsDir.resolve(example.mappingFile()))) {
            problems.add("no mapping " + example.mappingFile() + " for this example (examples/<name>/ must be named after a mapping beside it)");
            return new Outcome(example, problems);
        }
        if (!Files.isRegularFile(example.expected())) {
            problems.add("no expected output " + example.expected().getFileName() + " beside the input");
            return new Outcome(example, problems);
        }
        try {
            JsonNode expected = json.readTree(example.expected().toFile());
            String input = input(example);
            String type = typeOf(example.mappingFile());
            if (example.mappingFile().endsWith(".out.jsonata") && schemas.isKnown(type)) {
                schemaProblems(type, json.readTree(input).path("data"), "input data", problems);
            }
            JsonNode actual = json.readTree(mapper.map(input, example.mappingFile()));
            List<String> differences = JsonDiff.diff(expected, actual);
            if (!differences.isEmpty()) {
                problems.add("the output differs from " + relative(example.expected()) + ":");
                differences.forEach(d -> problems.add("  " + d));
                problems.add("the whole output was:");
                json.writerWithDefaultPrettyPrinter().writeValueAsString(actual).lines().forEach(l -> problems.add("  " + l));
            }
            if (example.mappingFile().endsWith(".in.jsonata") && schemas.isKnown(type)) {
                schemaProblems(type, actual, "output", problems);
            }
        } catch (MappingException e) {
            problems.add(e.getMessage());
        } catch (IOException e) {
            problems.add("cannot read the example: " + e.getMessage());
        }
        return new Outcome(example, problems);
    }

    private void schemaProblems(String type, JsonNode data, String what, List<String> problems) {
        try {
            schemas.validate(type, data);
        } catch (SchemaViolationException e) {
            e.violations().forEach(v -> problems.add("the " + what + " violates the " + type + " schema: "
                    + v.path() + " " + v.message()));
        }
    }

    private String input(Example example) throws IOException {
        String text = Files.readString(example.input());
        String file = example.input().getFileName().toString();
        String ext = file.substring(file.lastIndexOf('.') + 1);
        return switch (ext) {
            case "xml" -> formats.xmlToJson(text);
            case "csv" -> formats.csvToJson(text, separatorOf(text));
            case "txt" -> formats.fixedToJson(text, layoutOf(example.mappingFile())
                    .orElseThrow(() -> new MappingException(example.mappingFile(), null,
                            "a .txt example needs a layout " + layoutName(example.mappingFile()), null)));
            default -> text;
        };
    }

    private Optional<String> layoutOf(String mappingFile) {
        String layout = layoutName(mappingFile);
        return Files.isRegularFile(mappingsDir.resolve(layout)) ? Optional.of(layout) : Optional.empty();
    }

    private static String layoutName(String mappingFile) {
        int slash = mappingFile.lastIndexOf('/');
        return mappingFile.substring(0, slash + 1) + typeOf(mappingFile) + ".layout.xml";
    }

    static String typeOf(String mappingFile) {
        String name = mappingFile.substring(mappingFile.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static String separatorOf(String csv) {
        String header = csv.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        String best = ",";
        long most = -1;
        for (String candidate : new String[]{",", ";", "|", "\t"}) {
            long count = header.chars().filter(c -> c == candidate.charAt(0)).count();
            if (count > most) {
                most = count;
                best = candidate;
            }
        }
        return best;
    }

    private String relative(Path file) {
        return mappingsDir.relativize(file).toString().replace('\\', '/');
    }
}
