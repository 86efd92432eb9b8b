package io.weft.mapping;

import java.util.List;

/**
 * A translation between a system's format and the canonical model failed. Carries the mapping file, the
 * failing expression (or the position in it) and what in the input it was looking at (JSON paths such as
 * {@code $.GMEIN}), so that an operator can tell a vendor's changed field from a bug in the mapping.
 */
public class MappingException extends RuntimeException {
    private final String mappingFile;
    private final String expression;
    private final List<String> inputPaths;

    public MappingException(String mappingFile, String expression, String message, Throwable cause) {
        this(mappingFile, expression, List.of(), message, cause);
    }

    public MappingException(String mappingFile, String expression, List<String> inputPaths, String message,
                            Throwable cause) {
        super("mapping " + mappingFile + " failed" + (expression == null ? "" : " at " + expression)
                + (inputPaths.isEmpty() ? "" : " (input " + String.join(", ", inputPaths) + ")") + ": " + message,
                cause);
        this.mappingFile = mappingFile;
        this.expression = expression;
        this.inputPaths = List.copyOf(inputPaths);
    }

    public String mappingFile() {
        return mappingFile;
    }

    public String expression() {
        return expression;
    }

    /** The input fields the failing expression read, as JSON paths; empty when they cannot be told. */
    public List<String> inputPaths() {
        return inputPaths;
    }
}
