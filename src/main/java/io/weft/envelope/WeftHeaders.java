package io.weft.envelope;

import java.util.Set;

/**
 * The one spelling of every exchange header and property that Weft's Java sets or reads and the route files
 * share. Routes read them as {@code ${header.WeftType}} or {@code ${exchangeProperty.weftType}}; the validate
 * command checks that every header or property a route reads is in {@link #HEADERS_SET_BY_WEFT} /
 * {@link #PROPERTIES_SET_BY_WEFT} or set by some route step.
 */
public final class WeftHeaders {
    // --- headers an inbound route sets (or Weft's HTTP edge sets) for the hub's publish step ---
    public static final String SOURCE_SYSTEM = "WeftSourceSystem";
    public static final String TYPE = "WeftType";
    public static final String SOURCE_MESSAGE_ID = "WeftSourceMessageId";
    public static final String RAW_DIGEST = "WeftRawDigest";
    public static final String CORRELATION_ID = "WeftCorrelationId";
    /** The API version the sender speaks (HTTP {@code X-Api-Version}). */
    public static final String API_VERSION = "WeftApiVersion";
    /** W3C trace context, passed on to destinations. */
    public static final String TRACEPARENT = "traceparent";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    // --- headers the spokes' beans set ---
    public static final String CSV_ROW_ROUTE = "WeftRowRoute";
    public static final String CSV_SEPARATOR = "WeftCsvSeparator";
    public static final String CSV_ROWS_PUBLISHED = "WeftRowsPublished";
    public static final String CSV_ROWS_DUPLICATE = "WeftRowsDuplicate";
    public static final String CSV_ROWS_REJECTED = "WeftRowsRejected";
    /** The name of a finished file's error report (done/&lt;file&gt;.errors.csv, shortened for a long file name). */
    public static final String CSV_ERROR_REPORT_NAME = "WeftErrorReportName";
    public static final String REJECTION_ID = "WeftRejectionId";

    // --- headers the hub router sets for its conditions ---
    public static final String ROUTER_TYPE = "type";
    public static final String ROUTER_SOURCE = "source";
    public static final String ROUTER_SUBJECT = "subject";

    // --- exchange properties ---
    /** Set by the router: the destinations of a message, comma-separated system names. */
    public static final String DESTINATIONS = "destinations";
    /** Set by the dispatcher for an outbound route. */
    public static final String MESSAGE_ID = "weftMessageId";
    public static final String OUT_TYPE = "weftType";
    public static final String DESTINATION = "weftDestination";
    public static final String SUBJECT = "weftSubject";
    /** Set by an outbound route for the REST sink: the path under the system's URL. */
    public static final String PATH = "weftPath";
    /** Set by an inbound route: the input as received, for a rejection record. */
    public static final String INPUT = "weftInput";

    /** Headers Weft's Java sets on an exchange somewhere before a route can read them. */
    public static final Set<String> HEADERS_SET_BY_WEFT = Set.of(SOURCE_SYSTEM, SOURCE_MESSAGE_ID, RAW_DIGEST,
            CORRELATION_ID, API_VERSION, TRACEPARENT, IDEMPOTENCY_KEY, CSV_ROWS_PUBLISHED, CSV_ROWS_DUPLICATE,
            CSV_ROWS_REJECTED, CSV_ERROR_REPORT_NAME, REJECTION_ID, ROUTER_TYPE, ROUTER_SOURCE, ROUTER_SUBJECT);

    /** Exchange properties Weft's Java sets before a route can read them. */
    public static final Set<String> PROPERTIES_SET_BY_WEFT = Set.of(MESSAGE_ID, OUT_TYPE, DESTINATION, SUBJECT);

    private WeftHeaders() {
    }
}
