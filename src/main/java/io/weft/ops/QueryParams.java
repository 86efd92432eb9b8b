package io.weft.ops;

import io.weft.api.Problem;
import io.weft.api.ProblemException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading the operations API's query parameters, with a 400 problem naming the parameter when one is wrong. */
final class QueryParams {
    private QueryParams() {
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static Instant instant(String name, String value) {
        String v = text(value);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw bad(name, "must be an ISO-8601 instant such as 2026-12-01T06:00:00Z, got '" + value + "'");
        }
    }

    /** 1 to 1000, default 50. */
    static int limit(String value) {
        String v = text(value);
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
        throw bad("limit", "must be a whole number from 1 to 1000, got '" + value + "'");
    }

    static ProblemException bad(String name, String detail) {
        return new ProblemException(Problem.of(400, "bad-parameter", "Invalid query parameter '" + name + "'",
                name + " " + detail));
    }
}
