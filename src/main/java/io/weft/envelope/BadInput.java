package io.weft.envelope;

import java.util.Map;

/**
 * Marks an exception as the sender's bad input, so that the journal's rejection records classify it without
 * knowing the spoke or hub class that threw it (the journal sits below both).
 */
public interface BadInput {
    enum Kind { MALFORMED, UNSTORABLE }

    Kind badInputKind();

    /** What a rejection's diagnostics name besides the message, in order (e.g. field and limit). */
    default Map<String, Object> details() {
        return Map.of();
    }
}
