package io.weft.ops;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.audit.AuditTrail;
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
import static io.weft.ops.QueryParams.text;

/**
 * {@code GET /api/audit?actor=&action=&outcome=&since=&until=&limit=} (admins): the audit trail, newest first:
 * operator actions with the authenticated actor, refused authentications (who, from where, which endpoint,
 * why) and the configuration loaded at start.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "The append-only audit trail (admins)")
public class AuditResource {
    @Inject
    AuditTrail audit;

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The audit trail, newest first")
    @APIResponse(responseCode = "200", description = "The entries")
    @APIResponse(responseCode = "400", description = "A parameter is invalid")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public List<AuditTrail.Entry> search(@Parameter(description = "Who") @QueryParam("actor") String actor,
                                         @Parameter(description = "e.g. replay, pause, resume, bulk-replay") @QueryParam("action") String action,
                                         @Parameter(description = "ok or refused") @QueryParam("outcome") String outcome,
                                         @Parameter(description = "At or after (ISO-8601 instant)") @QueryParam("since") String since,
                                         @Parameter(description = "Before (ISO-8601 instant)") @QueryParam("until") String until,
                                         @Parameter(description = "1 to 1000, default 50") @QueryParam("limit") String limit) {
        String o = text("outcome", outcome, 16);
        if (o != null && !o.equals(AuditTrail.OK) && !o.equals(AuditTrail.REFUSED)) {
            throw new ProblemException(Problem.of(400, "bad-parameter", "Invalid query parameter 'outcome'",
                    "outcome must be ok or refused, got '" + outcome + "'"));
        }
        return audit.find(new AuditTrail.Filter(text("actor", actor, 128), text("action", action, 64), o, instant("since", since),
                instant("until", until), limit(limit)));
    }
}
