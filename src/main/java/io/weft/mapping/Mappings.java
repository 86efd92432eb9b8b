package io.weft.mapping;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one reusable translation bean: applies a JSONata file from the mappings folder to a message. Routes
 * call it as {@code bean:mapper?method=map(${body}, 'mes/ProductionOrder.out.jsonata')}; the input is JSON
 * text (or a Jackson tree) and the output is JSON text.
 */
@ApplicationScoped
@Named("mapper")
public class Mappings {

    private final ObjectMapper json;
    private final Path mappingsDir;
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    // A compiled Jsonata keeps evaluation state, so each thread gets its own compiled copy.
    private final ThreadLocal<Map<String, Jsonata>> compiled = ThreadLocal.withInitial(HashMap::new);

    @Inject
    public Mappings(ObjectMapper json, @ConfigProperty(name = "weft.mappings-dir") String mappingsDir) {
        this.json = json;
        this.mappingsDir = Path.of(mappingsDir);
    }

    /** Applies {@code mappingFile} (relative to the mappings folder) to {@code input}; returns JSON text. */
    public String map(Object input, String mappingFile) {
        Object tree = toPlainJava(input, mappingFile);
        Object result;
        try {
            result = expression(mappingFile).evaluate(tree);
        } catch (JException e) {
            throw new MappingException(mappingFile, describePosition(mappingFile, e.getLocation()),
                    e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MappingException(mappingFile, null, e.toString(), e);
        }
        if (result == null) {
            throw new MappingException(mappingFile, null,
                    "the mapping produced no output (does the input have the fields it expects?)", null);
        }
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new MappingException(mappingFile, null, "output is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Object toPlainJava(Object input, String mappingFile) {
        try {
            if (input instanceof JsonNode node) {
                return json.treeToValue(node, Object.class);
            }
            if (input instanceof byte[] bytes) {
                return json.readValue(bytes, Object.class);
            }
            if (input instanceof String text) {
                return json.readValue(text, Object.class);
            }
            return json.convertValue(input, Object.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new MappingException(mappingFile, null, "input is not JSON: " + e.getMessage(), e);
        }
    }

    private Jsonata expression(String mappingFile) {
        return compiled.get().computeIfAbsent(mappingFile, file -> {
            String source = source(file);
            try {
                return Jsonata.jsonata(source);
            } catch (JException e) {
                throw new MappingException(file, describePosition(file, e.getLocation()), e.getMessage(), e);
            }
        });
    }

    /** The mapping's text, read once; a change of a mapping file takes effect at the next start. */
    public String source(String mappingFile) {
        return sources.computeIfAbsent(mappingFile, file -> {
            Path path = mappingsDir.resolve(file).normalize();
            if (!path.startsWith(mappingsDir.normalize())) {
                throw new MappingException(file, null, "mapping path leaves the mappings folder", null);
            }
            try {
                return Files.readString(path);
            } catch (IOException e) {
                throw new MappingException(file, null, "cannot read " + path + ": " + e,
                        new UncheckedIOException(e));
            }
        });
    }

    /** "line 3, column 14: `GAMNG * 1`" for a character offset into the mapping file. */
    private String describePosition(String mappingFile, int offset) {
        String source = sources.get(mappingFile);
        if (source == null || offset < 0) {
            return null;
        }
        int at = Math.min(offset, source.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int lineEnd = source.indexOf('\n', lineStart);
        String text = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd).strip();
        return "line " + line + ", column " + (at - lineStart + 1) + ": `" + text + "`";
    }
}
