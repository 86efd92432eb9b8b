package io.weft.ops;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.hub.StoredLimits;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reading the operations API's query parameters, with a 400 problem naming the parameter when one is wrong. */
final class QueryParams {
    /** Message ids are UUIDs (time-ordered, version 7). */
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    // What the store's timestamp columns and java.sql.Timestamp hold; Instant.parse takes years far beyond.
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private QueryParams() {
    }

    /** Optional text compared with a column of {@code limit} characters: longer, or with a control character, is 400. */
    static String text(String name, String value, int limit) {
        String v = value == null || value.isBlank() ? null : value.trim();
        if (v == null) {
            return null;
        }
        String problem = StoredLimits.problem(v, limit);
        if (problem == null && v.chars().anyMatch(Character::isISOControl)) {
            problem = "contains a control character";
        }
        if (problem != null) {
            throw bad(name, problem.replace(" are stored", " are stored, so nothing could match"));
        }
        return v;
    }

    /** A system or destination name (the journal's 64-character columns). */
    static String system(String name, String value) {
        return text(name, value, StoredLimits.SOURCE_SYSTEM);
    }

    static Instant instant(String name, String value) {
        String v = text(name, value, 64);
        Instant instant;
        try {
            instant = v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw bad(name, "must be an ISO-8601 instant such as 2026-12-01T06:00:00Z, got '" + printable(value) + "'");
        }
        if (instant != null && (instant.isBefore(EARLIEST) || instant.isAfter(LATEST))) {
            throw bad(name, "must be between the years 1 and 9999, got '" + printable(value) + "'");
        }
        return instant;
    }

    /** A message id in the path: a UUID, else 400 (a well-formed id that is not journaled is 404). */
    static String messageId(String value) {
        if (value == null || !MESSAGE_ID.matcher(value).matches()) {
            throw new ProblemException(Problem.of(400, "bad-message-id", "Invalid message id",
                    "A message id is a UUID such as 01933a6e-7c1f-7a2b-9c3d-4e5f60718293; got '" + printable(value) + "'"));
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    /** 1 to 1000, default 50. */
    static int limit(String value) {
        String v = value == null || value.isBlank() ? null : value.trim();
        if (v == null) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(v);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw bad("limit", "must be a whole number from 1 to 1000, got '" + printable(value) + "'");
    }

    static ProblemException bad(String name, String detail) {
        return new ProblemException(Problem.of(400, "bad-parameter", "Invalid query parameter '" + name + "'",
                name + " " + detail));
    }

    /** A parameter as it can be quoted back: at most 100 characters, control characters as '?'. */
    static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
