package io.weft.hub;

/**
 * A value of a message that the journal cannot hold: longer than its column, or a character the database
 * refuses (NUL). It is the sender's data, not Weft's state, so it is bad input (HTTP 422, a spoke's rejection),
 * never "the store is unavailable": sending it again would fail again.
 */
public class UnstorableValueException extends RuntimeException implements io.weft.envelope.BadInput {
    private final String field;
    private final int limit;

    public UnstorableValueException(String field, int limit, String problem) {
        super(field + " " + problem);
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
