package io.weft.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.envelope.BadInput;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;

/**
 * The diagnostics column of a rejection, as JSON: a mapping failure's file, expression and input paths, every
 * schema violation with its path, a bad input's details, else the exception's class.
 */
final class RejectionDiagnostics {
    private RejectionDiagnostics() {
    }

    static String of(ObjectMapper json, Throwable error) {
        if (error == null) {
            return null;
        }
        ObjectNode d = json.createObjectNode();
        if (error instanceof MappingException m) {
            d.put("mapping", m.mappingFile());
            if (m.expression() != null) {
                d.put("expression", m.expression());
            }
            ArrayNode paths = d.putArray("input");
            m.inputPaths().forEach(paths::add);
        } else if (error instanceof SchemaViolationException v) {
            d.put("type", v.type());
            ArrayNode violations = d.putArray("violations");
            for (SchemaViolationException.Violation violation : v.violations()) {
                violations.addObject().put("path", violation.path()).put("rule", violation.rule())
                        .put("message", violation.message());
            }
        } else if (error instanceof BadInput bad && !bad.details().isEmpty()) {
            bad.details().forEach((name, value) -> d.set(name, json.valueToTree(value)));
        } else {
            d.put("error", error.getClass().getName());
        }
        return d.toString();
    }
}
