package io.weft.ops;

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
public class AuditResource {
    @Inject
    AuditTrail audit;

    @GET
    @RolesAllowed(Roles.ADMIN)
    public List<AuditTrail.Entry> search(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                         @QueryParam("outcome") String outcome, @QueryParam("since") String since,
                                         @QueryParam("until") String until, @QueryParam("limit") String limit) {
        String o = text("outcome", outcome, 16);
        if (o != null && !o.equals(AuditTrail.OK) && !o.equals(AuditTrail.REFUSED)) {
            throw new ProblemException(Problem.of(400, "bad-parameter", "Invalid query parameter 'outcome'",
                    "outcome must be ok or refused, got '" + outcome + "'"));
        }
        return audit.find(new AuditTrail.Filter(text("actor", actor, 128), text("action", action, 64), o, instant("since", since),
                instant("until", until), limit(limit)));
    }
}
