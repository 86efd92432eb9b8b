package io.weft.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The canonical types and their JSON Schemas (2020-12), read from {@code mappings/schemas/<Type>.schema.json}
 * at start. Each schema names its business key field in {@code x-weft-business-key}; the key becomes the
 * envelope's {@code subject}, by which the journal is searched.
 */
@ApplicationScoped
@Startup
public class CanonicalSchemas {

    public static final String BUSINESS_KEY = "x-weft-business-key";

    public record CanonicalType(String name, JsonSchema schema, String businessKeyField) {
    }

    private final Map<String, CanonicalType> types = new HashMap<>();

    @Inject
    public CanonicalSchemas(ObjectMapper json, @ConfigProperty(name = "weft.mappings-dir") String mappingsDir) {
        this(json, Path.of(mappingsDir, "schemas"));
    }

    /** Reads every {@code <Type>.schema.json} in {@code dir}; usable without CDI (tools, tests). */
    public CanonicalSchemas(ObjectMapper json, Path dir) {
        this(json, dir, false);
    }

    /** With {@code skipBroken}, a schema file that cannot be read or compiled is left out (the validate tool). */
    public CanonicalSchemas(ObjectMapper json, Path dir, boolean skipBroken) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".schema.json")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".schema.json", "");
                JsonNode node;
                try {
                    node = json.readTree(file.toFile());
                    if (skipBroken && !problemsOf(node).isEmpty()) {
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    if (skipBroken) {
                        continue;
                    }
                    throw e;
                }
                types.put(name, new CanonicalType(name, FACTORY.getSchema(node.toString(), CONFIG),
                        node.path(BUSINESS_KEY).asText(null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read canonical schemas from " + dir, e);
        }
    }

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new AnnotationKeyword(BUSINESS_KEY)).build()));
    // 2020-12 treats "format" as a note by default; canonical dates and times must really be dates.
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH).build();

    /**
     * What is wrong with a canonical schema document, as "path: problem" lines: not a valid JSON Schema
     * 2020-12 (checked against the 2020-12 meta-schema), or no {@value #BUSINESS_KEY} naming a required
     * string property.
     */
    public static List<String> problemsOf(JsonNode schema) {
        List<String> problems = new ArrayList<>();
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(JsonMetaSchema.getV202012().getIri()),
                        SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build());
        meta.validate(schema).stream().map(m -> m.getMessage().startsWith(m.getInstanceLocation().toString())
                        ? m.getMessage() : m.getInstanceLocation() + ": " + m.getMessage()).distinct().sorted()
                .forEach(problems::add);
        if (!schema.path("$schema").asText().equals("https://json-schema.org/draft/2020-12/schema")) {
            problems.add("$.$schema: must be https://json-schema.org/draft/2020-12/schema");
        }
        JsonNode key = schema.get(BUSINESS_KEY);
        if (key == null || !key.isTextual()) {
            problems.add("$: " + BUSINESS_KEY + " must name the business key field");
        } else {
            if (!schema.path("properties").has(key.asText())) {
                problems.add("$." + BUSINESS_KEY + ": names '" + key.asText() + "', which is not in properties");
            }
            boolean required = false;
            for (JsonNode r : schema.path("required")) {
                required |= r.asText().equals(key.asText());
            }
            if (!required) {
                problems.add("$." + BUSINESS_KEY + ": the business key '" + key.asText() + "' must be required");
            }
        }
        if (problems.isEmpty()) {
            try {
                FACTORY.getSchema(schema.toString(), CONFIG);
            } catch (RuntimeException e) {
                problems.add("$: " + e.getMessage());
            }
        }
        return problems;
    }

    public boolean isKnown(String type) {
        return types.containsKey(type);
    }

    public Set<String> typeNames() {
        return types.keySet();
    }

    /** Throws {@link SchemaViolationException} naming each violated field and rule. */
    public void validate(String type, JsonNode data) {
        CanonicalType canonical = types.get(type);
        if (canonical == null) {
            throw new SchemaViolationException(type, List.of(new SchemaViolationException.Violation(
                    "$", "type", "unknown canonical type " + type + "; known: " + types.keySet())));
        }
        Set<ValidationMessage> messages = canonical.schema().validate(data);
        if (!messages.isEmpty()) {
            throw new SchemaViolationException(type, messages.stream()
                    .map(m -> new SchemaViolationException.Violation(m.getInstanceLocation().toString(),
                            m.getType(), m.getMessage()))
                    .sorted(Comparator.comparing(SchemaViolationException.Violation::path))
                    .toList());
        }
    }

    /** The field of {@code type} that is its business key ({@code x-weft-business-key}), or null. */
    public String businessKeyField(String type) {
        CanonicalType canonical = types.get(type);
        return canonical == null ? null : canonical.businessKeyField();
    }

    /** The business key of a valid message of {@code type}, or null when its schema names none. */
    public String businessKey(String type, JsonNode data) {
        CanonicalType canonical = types.get(type);
        if (canonical == null || canonical.businessKeyField() == null) {
            return null;
        }
        JsonNode key = data.get(canonical.businessKeyField());
        return key == null || key.isNull() ? null : key.asText();
    }
}
