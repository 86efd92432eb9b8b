package io.weft.hub;

import io.weft.api.Problem;
import io.weft.api.ProblemException;

import java.util.List;
import java.util.Map;

/**
 * A value of a message that the journal cannot hold: longer than its column, or a character the database
 * refuses (NUL). It is the sender's data, not Weft's state, so it is bad input (HTTP 422, a spoke's rejection),
 * never "the store is unavailable": sending it again would fail again. Over HTTP it answers 422
 * {@code unstorable-value} naming the field and its limit.
 */
public class UnstorableValueException extends ProblemException implements io.weft.envelope.BadInput {
    private final String field;
    private final int limit;

    public UnstorableValueException(String field, int limit, String problem) {
        super(Problem.of(422, "unstorable-value", "A value of the message cannot be stored", field + " " + problem)
                .withErrors(List.of(Map.of("field", field, "limit", limit))));
        this.field = field;
        this.limit = limit;
    }

    /** What the value is, as the sender knows it ("X-Correlation-Id", "subject (business key $.orderNumber)"). */
    public String field() {
        return field;
    }

    @Override
    public Kind badInputKind() {
        return Kind.UNSTORABLE;
    }

    @Override
    public java.util.Map<String, Object> details() {
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("field", field);
        details.put("limit", limit);
        return details;
    }

    /** The column's width in characters. */
    public int limit() {
        return limit;
    }
}
