package io.weft.mapping;

/** A route was asked to translate a type it has no mapping for (thrown from route files). */
public class NoMappingException extends MappingException {
    public NoMappingException(String message) {
        super("(none)", null, message, null);
    }
}
