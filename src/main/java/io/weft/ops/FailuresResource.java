package io.weft.ops;

import io.weft.delivery.DeadDeliveries;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code GET /api/failures}: DEAD deliveries grouped by destination and cause, the largest group first. */
@Path("/api/failures")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "failures", description = "Parked deliveries by cause, and their bulk replay")
public class FailuresResource {

    @Inject
    DeadDeliveries dead;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "DEAD deliveries grouped by destination, outcome class and error (the last attempt's "
            + "error with ids, numbers and times collapsed), the largest group first, with up to 20 message ids each")
    @APIResponse(responseCode = "200", description = "The groups")
    public List<DeadDeliveries.Group> groups() {
        return dead.groups();
    }
}
