package io.weft.mapping;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mapping files as {@link Mappings} applies them: each file's text read once from the mappings folder (never
 * from outside it), and compiled per thread with Weft's functions registered ({@code $weftLookup},
 * {@code $weftLookupKey}). A syntax error is a {@link MappingException} naming its line and column.
 */
final class CompiledMappings {
    private final Path mappingsDir;
    private final Lookups lookups;
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    // A compiled Jsonata keeps evaluation state, so each thread gets its own compiled copy; it is kept with the
    // text it was compiled from, so a reloaded file (a promoted shadow candidate) is compiled again on each thread.
    private final ThreadLocal<Map<String, Compiled>> compiled = ThreadLocal.withInitial(HashMap::new);

    private record Compiled(String source, Jsonata expression) {
    }

    CompiledMappings(Path mappingsDir, Lookups lookups) {
        this.mappingsDir = mappingsDir;
        this.lookups = lookups;
    }

    /** Forgets the text of {@code mappingFile}: the next use reads the file again (and each thread compiles it). */
    void reload(String mappingFile) {
        sources.remove(mappingFile);
    }

    /** The text of a mapping read so far, or null: what positions in an error message are counted in. */
    String loaded(String mappingFile) {
        return sources.get(mappingFile);
    }

    /** The mapping's text, read once; a change of a mapping file takes effect at the next start. */
    String source(String mappingFile) {
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

    /** This thread's compiled copy of the mapping, compiled again when its text was reloaded. */
    Jsonata expression(String mappingFile) {
        String source = source(mappingFile);
        Map<String, Compiled> mine = compiled.get();
        Compiled known = mine.get(mappingFile);
        if (known != null && known.source() == source) {
            return known.expression();
        }
        Jsonata expression;
        try {
            expression = Jsonata.jsonata(source);
        } catch (JException e) {
            Mappings.Position at = SourcePositions.at(loaded(mappingFile), e.getLocation());
            throw new MappingException(mappingFile, at == null ? null : at.describe(), e.getMessage(), e);
        }
        registerFunctions(expression);
        mine.put(mappingFile, new Compiled(source, expression));
        return expression;
    }

    private void registerFunctions(Jsonata expression) {
        expression.registerFunction("weftLookup", Jsonata.function("weftLookup",
                (Jsonata.Fn3<String, Object, String, String>) lookups::lookup, "<s(sn)s?:s>"));
        expression.registerFunction("weftLookupKey", Jsonata.function("weftLookupKey",
                (Jsonata.Fn3<String, Object, String, String>) lookups::key, "<s(sn)s?:s>"));
    }
}
