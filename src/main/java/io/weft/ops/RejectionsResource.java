package io.weft.ops;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.weft.journal.Rejections;
import io.quarkus.security.identity.SecurityIdentity;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

import static io.weft.ops.QueryParams.instant;
import static io.weft.ops.QueryParams.limit;
import static io.weft.ops.QueryParams.system;
import static io.weft.ops.QueryParams.text;

/**
 * {@code GET /api/rejections?source=&origin=&since=&limit=}: inbound messages that a spoke with no caller to
 * answer (a dropped file's row, the QMS table, MQTT) could not accept, newest first, each with why (reason,
 * problem, diagnostics: the mapping and input paths, or each schema violation), where it came from (origin:
 * file, topic; locator: line) and the input as received.
 */
@Path("/api/rejections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rejections", description = "Inbound messages spokes could not accept")
public class RejectionsResource {

    @Inject
    Rejections rejections;
    @Inject
    SecurityIdentity identity;

    /** The input as received is a payload: shown only with the payload permission. */
    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Rejected inbound messages, newest first, with diagnostics (input only with the payload permission)")
    @APIResponse(responseCode = "200", description = "The rejections")
    @APIResponse(responseCode = "400", description = "A parameter is invalid")
    public List<Rejections.Rejection> search(@Parameter(description = "Sending system") @QueryParam("source") String source,
                                             @Parameter(description = "Where it came from: a file, a topic") @QueryParam("origin") String origin,
                                             @Parameter(description = "At or after (ISO-8601 instant)") @QueryParam("since") String since,
                                             @Parameter(description = "1 to 1000, default 50") @QueryParam("limit") String limit) {
        List<Rejections.Rejection> found = rejections.search(system("source", source), text("origin", origin, 512),
                instant("since", since), limit(limit));
        return identity.hasRole(Roles.PAYLOAD) ? found : found.stream().map(PayloadPermission::withoutInput).toList();
    }
}
