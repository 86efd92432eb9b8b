package io.weft.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.weft.mapping.MappingException;
import io.weft.mapping.SchemaViolationException;
import io.weft.store.StoreException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Turns every failure of an HTTP request into an {@code application/problem+json} answer. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Context
    UriInfo uri;

    /** Every problem a layer above names for itself (a routing failure, an unstorable value, bad input). */
    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        if (e.problem().status() >= 500) {
            LOG.error(e.problem().title(), e);
        }
        return e.problem().at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response mapping(MappingException e) {
        return Problem.of(422, "mapping-failed", "The message could not be translated", e.getMessage())
                .withErrors(List.of(Map.of("mapping", e.mappingFile(),
                        "expression", e.expression() == null ? "" : e.expression(),
                        "input", e.inputPaths())))
                .at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response schema(SchemaViolationException e) {
        return Problem.of(422, "schema-violation", "The canonical " + e.type() + " violates its schema",
                        e.getMessage())
                .withErrors(e.violations()).at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response store(StoreException e) {
        String sqlState = e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
        if (sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"))) {
            // Data the database refuses (SQLState class 22: data exception, 23: integrity): sending it again
            // fails again, so it is the sender's error, not a 503 to retry.
            LOG.warn("the journal refused a message's data (SQLState " + sqlState + ")");
            return Problem.of(422, "unstorable-value", "A value of the message cannot be stored",
                    "The database refused the message's data (SQLState " + sqlState + "): " + firstLine(e.getMessage()))
                    .at(path()).toResponse();
        }
        LOG.warn("store unavailable: " + e.getMessage());
        return Response.fromResponse(Problem.of(503, "store-unavailable", "The journal is unavailable",
                "The message was not accepted; send it again later. " + e.getMessage()).at(path()).toResponse())
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return Problem.of(400, "malformed-json", "The body is not valid JSON", e.getOriginalMessage())
                .at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of(404, "not-found", "No such resource", "Nothing is served at " + path())
                .at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Response.fromResponse(Problem.of(405, "method-not-allowed", "Method not allowed",
                "Allowed: " + e.getResponse().getAllowedMethods()).at(path()).toResponse())
                .allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Problem.of(status, "http-" + status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage()).at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure serving " + path(), e);
        return Problem.of(500, "internal-error", "Internal error",
                "Weft failed unexpectedly (" + e.getClass().getSimpleName() + "); see the log").at(path()).toResponse();
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        String line = nl < 0 ? m : m.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private String path() {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
