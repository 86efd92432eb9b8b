package io.weft.inbound;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code GET /api/rejections}: inbound messages refused without a caller to answer, newest first. */
@Path("/api/rejections")
@Produces(MediaType.APPLICATION_JSON)
public class RejectionsResource {

    @Inject
    InboundRejections rejections;

    @GET
    public List<InboundRejections.Rejection> search(@QueryParam("system") String system,
                                                    @QueryParam("origin") String origin,
                                                    @QueryParam("since") String since,
                                                    @QueryParam("limit") Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 1000) {
            throw new ProblemException(Problem.of(400, "bad-limit", "Invalid limit", "limit is 1 to 1000"));
        }
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new ProblemException(Problem.of(400, "bad-since", "Invalid since",
                        "since is an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z"));
            }
        }
        return rejections.search(system, origin, from, n);
    }
}
