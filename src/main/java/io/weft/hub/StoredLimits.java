package io.weft.hub;

import io.weft.envelope.Envelope;

/**
 * The widths of the journal's text columns (db/migration V1, V2), checked before a message is written, so
 * that a value Weft cannot store is refused as bad input naming the field and the limit instead of failing
 * the transaction (which would read as "journal unavailable" and make the sender retry forever).
 */
public final class StoredLimits {
    public static final int SOURCE_SYSTEM = 64;
    public static final int SOURCE_MESSAGE_ID = 256;
    public static final int TYPE = 64;
    public static final int SUBJECT = 256;
    public static final int CORRELATION_ID = 64;
    public static final int TRACEPARENT = 55;

    private StoredLimits() {
    }

    /** Every stored column of the envelope fits; {@code businessKeyField} names the subject's source for the message. */
    public static void check(Envelope envelope, String businessKeyField) {
        require("source system", envelope.sourceSystem(), SOURCE_SYSTEM);
        require("source message id (Idempotency-Key or the spoke's row/message id)", envelope.sourceMessageId(),
                SOURCE_MESSAGE_ID);
        require("type", envelope.type(), TYPE);
        require("subject (business key" + (businessKeyField == null ? "" : " " + businessKeyField) + ")",
                envelope.subject(), SUBJECT);
        require("correlation id (X-Correlation-Id)", envelope.correlationId(), CORRELATION_ID);
        require("traceparent", envelope.traceparent(), TRACEPARENT);
    }

    /** A text for a column of {@code limit} characters: not longer, and without NUL (PostgreSQL refuses it). */
    public static void require(String field, String value, int limit) {
        String problem = problem(value, limit);
        if (problem != null) {
            throw new UnstorableValueException(field, limit, problem);
        }
    }

    /** What is wrong with the value for such a column, or null if it fits. */
    public static String problem(String value, int limit) {
        if (value == null) {
            return null;
        }
        // Columns count characters (code points), not Java's UTF-16 units.
        int length = value.codePointCount(0, value.length());
        if (length > limit) {
            return "is " + length + " characters long; at most " + limit + " are stored";
        }
        if (value.indexOf('\u0000') >= 0) {
            return "contains a NUL character (U+0000), which cannot be stored";
        }
        return null;
    }
}
