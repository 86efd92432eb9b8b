package io.weft.ops;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.spoke.Rejections;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /api/rejections?source=&since=&limit=}: inbound messages that a polled or subscribed spoke (QMS
 * table, MQTT) could not accept, newest first, each with why (reason, error, diagnostics: the mapping and
 * input paths, or each schema violation) and the input as received.
 */
@Path("/api/rejections")
@Produces(MediaType.APPLICATION_JSON)
public class RejectionsResource {

    @Inject
    Rejections rejections;

    @GET
    public List<Rejections.Rejection> search(@QueryParam("source") String source, @QueryParam("since") String since,
                                             @QueryParam("limit") String limit) {
        return rejections.search(blankToNull(source), since(since), limit(limit));
    }

    private static Instant since(String value) {
        String v = blankToNull(value);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw bad("since", "must be an ISO-8601 instant such as 2026-12-01T06:00:00Z, got '" + value + "'");
        }
    }

    private static int limit(String value) {
        String v = blankToNull(value);
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

    private static ProblemException bad(String name, String detail) {
        return new ProblemException(Problem.of(400, "bad-parameter", "Invalid query parameter '" + name + "'",
                name + " " + detail));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
