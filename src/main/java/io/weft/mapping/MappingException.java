package io.weft.mapping;

/**
 * A translation between a system's format and the canonical model failed. Carries the mapping file, the
 * failing expression (or the position in it) and what in the input it was looking at, so that an operator
 * can tell a vendor's changed field from a bug in the mapping.
 */
public class MappingException extends RuntimeException {
    private final String mappingFile;
    private final String expression;

    public MappingException(String mappingFile, String expression, String message, Throwable cause) {
        super("mapping " + mappingFile + " failed" + (expression == null ? "" : " at " + expression) + ": " + message,
                cause);
        this.mappingFile = mappingFile;
        this.expression = expression;
    }

    public String mappingFile() {
        return mappingFile;
    }

    public String expression() {
        return expression;
    }
}
