package io.weft.mapping;

/**
 * Sees every mapping a route applies, after it succeeded: the mapping file, its input and its output as plain
 * Java (maps, lists, strings, numbers). Registered with {@link Mappings#observe}; must not change either value.
 */
@FunctionalInterface
public interface MappingObserver {
    void mapped(Mappings mapper, String mappingFile, Object input, Object output);
}
