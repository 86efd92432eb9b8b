package io.weft.mapping;

import java.util.List;

/** A canonical message broke its type's JSON Schema; each violation names the field path and the rule. */
public class SchemaViolationException extends RuntimeException {
    public record Violation(String path, String rule, String message) {
    }

    private final String type;
    private final List<Violation> violations;

    public SchemaViolationException(String type, List<Violation> violations) {
        super(type + " violates its schema: " + violations.stream()
                .map(v -> v.path() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.type = type;
        this.violations = List.copyOf(violations);
    }

    public String type() {
        return type;
    }

    public List<Violation> violations() {
        return violations;
    }
}
