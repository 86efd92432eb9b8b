package io.weft.mapping;

import com.dashjoin.jsonata.JException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.envelope.WeftHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one reusable translation bean: applies a JSONata file from the mappings folder to a message. Routes
 * call it as {@code bean:mapper?method=map(${body}, 'mes/ProductionOrder.out.jsonata')}; the input is JSON
 * text (or a Jackson tree, or plain Java maps and lists) and the output is JSON text.
 *
 * <p>Every compiled mapping has Weft's own functions registered (see the README's function reference):
 * {@code $weftLookup(table, code[, column])} reads the CSV crosswalks in {@code mappings/lookups/}.
 *
 * <p>A system with several API versions keeps one mapping per version, {@code <system>/v<N>/<file>}, and its
 * route calls {@link #mapVersioned}; the version comes from the message (header {@value #API_VERSION_HEADER},
 * set from HTTP {@code X-Api-Version}) or else from the setting {@code weft.systems.<system>.api-version}.
 *
 * <p>The files are read and compiled by {@link CompiledMappings}; this class applies them and explains failures.
 *
 * <p>Works with and without CDI: the application injects it; tools and tests construct it with
 * {@link #Mappings(ObjectMapper, Path, Lookups, Function)}.
 */
@ApplicationScoped
@Named("mapper")
public class Mappings {
    /** Exchange header naming the API version the sending system speaks. */
    public static final String API_VERSION_HEADER = WeftHeaders.API_VERSION;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Mappings.class);
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,15}");


    private final ObjectMapper json;
    private final Path mappingsDir;
    private final Lookups lookups;
    private final Function<String, Optional<String>> defaultVersions;
    private final CompiledMappings files;
    private final List<MappingObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Inject
    public Mappings(ObjectMapper json, @ConfigProperty(name = "weft.mappings-dir") String mappingsDir, Config config) {
        this(json, Path.of(mappingsDir), Lookups.load(Path.of(mappingsDir, "lookups")),
                system -> config.getOptionalValue("weft.systems." + system + ".api-version", String.class));
    }

    /**
     * @param defaultVersions the API version a system speaks when a message does not say
     *                        ({@code weft.systems.<system>.api-version} in the application)
     */
    public Mappings(ObjectMapper json, Path mappingsDir, Lookups lookups,
                    Function<String, Optional<String>> defaultVersions) {
        this.json = json;
        this.mappingsDir = mappingsDir;
        this.lookups = lookups;
        this.defaultVersions = defaultVersions;
        this.files = new CompiledMappings(mappingsDir, lookups);
    }

    /** A mapper outside the application (the validate tool, tests): no version defaults. */
    public static Mappings standalone(Path mappingsDir) {
        return new Mappings(new ObjectMapper(), mappingsDir, Lookups.load(mappingsDir.resolve("lookups")),
                system -> Optional.empty());
    }

    /** Registers an observer of every {@link #map} call (the application's shadow runs). */
    public void observe(MappingObserver observer) {
        observers.add(observer);
    }

    /**
     * Forgets the text of {@code mappingFile}: the next call reads the file again (and each thread compiles it
     * again). Used after a promotion replaced the file.
     */
    public void reload(String mappingFile) {
        files.reload(mappingFile);
    }

    public ObjectMapper json() {
        return json;
    }

    public Path mappingsDir() {
        return mappingsDir;
    }

    public Lookups lookups() {
        return lookups;
    }

    /**
     * Applies {@code mappingFile} (relative to the mappings folder) to {@code input}; returns JSON text. This is
     * what routes call: each {@link MappingObserver} then sees the input and output (the shadow runs compare a
     * candidate with it); an observer's failure never reaches the route.
     */
    public String map(Object input, String mappingFile) {
        try {
            Object tree = toPlainJava(input, mappingFile);
            Object output = evaluate(tree, mappingFile);
            for (MappingObserver observer : observers) {
                try {
                    observer.mapped(this, mappingFile, tree, output);
                } catch (Throwable e) {
                    LOG.warnf("mapping observer failed on %s: %s",
                            mappingFile, e.toString());
                }
            }
            return json.writeValueAsString(output);
        } catch (JsonProcessingException e) {
            throw new MappingException(mappingFile, null, "output is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Applies the mapping for the API version {@code version} (null: the system's configured default) of
     * {@code mappingFile}: {@code erp/ProductionOrder.in.jsonata} at version 2 is
     * {@code erp/v2/ProductionOrder.in.jsonata}.
     */
    public String mapVersioned(Object input, String mappingFile, String version) {
        return map(input, versionedFile(mappingFile, version));
    }

    /** The file {@link #mapVersioned} would apply; an unknown version is a {@link MappingException}. */
    public String versionedFile(String mappingFile, String version) {
        return MappingVersions.versionedFile(mappingsDir, defaultVersions, mappingFile, version);
    }

    /** The API versions that have {@code mappingFile}, e.g. [1, 2] for erp/ProductionOrder.in.jsonata. */
    public List<String> versionsOf(String mappingFile) {
        return MappingVersions.versionsOf(mappingsDir, mappingFile);
    }

    /** Applies the mapping and returns the result as plain Java (maps, lists, strings, numbers). */
    public Object mapToTree(Object input, String mappingFile) {
        return evaluate(toPlainJava(input, mappingFile), mappingFile);
    }

    private Object evaluate(Object tree, String mappingFile) {
        Object result;
        try {
            result = files.expression(mappingFile).evaluate(tree);
        } catch (JException e) {
            Position at = position(mappingFile, e.getLocation());
            if (at == null) {
                throw RuntimeFailures.of(this, mappingFile, tree, e);
            }
            throw new MappingException(mappingFile, at.describe(), InputPaths.read(at.text(), tree, null),
                    e.getMessage(), e);
        } catch (Lookups.UnknownCodeException e) {
            Position at = lookupCall(mappingFile, e.table(), tree, e.code());
            throw new MappingException(mappingFile, at == null ? "$weftLookup('" + e.table() + "', ...)" : at.describe(),
                    at == null ? InputPaths.holding(tree, e.code()) : InputPaths.read(at.text(), tree, e.code()),
                    e.getMessage(), e);
        } catch (MappingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RuntimeFailures.of(this, mappingFile, tree, e);
        }
        if (result == null) {
            throw new MappingException(mappingFile, null,
                    "the mapping produced no output (does the input have the fields it expects?)", null);
        }
        return result;
    }

    /** Compiles a mapping without applying it; a syntax error is a {@link MappingException} with its position. */
    public void compile(String mappingFile) {
        files.expression(mappingFile);
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

    /** The mapping's text, read once; a change of a mapping file takes effect at the next start. */
    public String source(String mappingFile) {
        return files.source(mappingFile);
    }

    /** A place in a mapping file: 1-based line and column and the text of that line. */
    public record Position(int line, int column, String text) {
        public String describe() {
            return "line " + line + ", column " + column + ": `" + text + "`";
        }
    }

    /** The line and column of a character offset into the mapping file, or null when unknown. */
    public Position position(String mappingFile, int offset) {
        return SourcePositions.at(files.loaded(mappingFile), offset);
    }

    /** The {@code $weftLookup('table', ...)} call that most likely failed on {@code code}. */
    private Position lookupCall(String mappingFile, String table, Object input, String code) {
        return SourcePositions.lookupCall(files.loaded(mappingFile), table, input, code);
    }
}
