package io.weft.inbound;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.hub.StoredLimits;
import io.weft.mapping.Mappings;

/** What the HTTP edge reads from a request besides its body. */
record InboundHeaders(String system, String contentType, Long contentLength, String idempotencyKey,
                      String correlationId, String apiVersion) {

    /** The headers Weft journals fit their columns: refused here (400 naming the header) rather than at the write. */
    void requireStorable() {
        requireHeader("Idempotency-Key", idempotencyKey, StoredLimits.SOURCE_MESSAGE_ID, false);
        // An empty X-Correlation-Id is taken as none (the message then correlates by its own id).
        requireHeader("X-Correlation-Id", correlationId, StoredLimits.CORRELATION_ID, true);
        if (apiVersion != null && !Mappings.VERSION.matcher(apiVersion).matches()) {
            throw new ProblemException(Problem.of(400, "bad-api-version", "Invalid X-Api-Version",
                    "X-Api-Version is a version name such as 2 (letters, digits, '.', '-', '_'; at most 16); got '"
                            + InboundFormat.printable(apiVersion) + "'"));
        }
    }

    private static void requireHeader(String name, String value, int limit, boolean emptyIsNone) {
        if (value == null || (emptyIsNone && value.isEmpty())) {
            return;
        }
        String problem = value.isBlank() ? "is empty" : StoredLimits.problem(value, limit);
        if (problem == null && value.chars().anyMatch(Character::isISOControl)) {
            problem = "contains a control character";
        }
        if (problem != null) {
            throw new ProblemException(Problem.of(400, "bad-header", "Invalid " + name + " header",
                    name + " " + problem + " (1 to " + limit + " characters, no control characters)"));
        }
    }
}
