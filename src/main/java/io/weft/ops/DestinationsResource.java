package io.weft.ops;

import io.quarkus.security.identity.SecurityIdentity;
import io.weft.audit.AuditTrail;
import io.weft.delivery.Dispatcher;
import io.weft.delivery.DestinationPauses;
import io.weft.systems.KnownSystems;
import io.weft.observe.OutboxStats;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Destinations and their pause for a maintenance window: while paused, no instance attempts the destination's
 * deliveries (they queue, untried, their retry counters untouched); resume drains the queue. Audited.
 */
@Path("/api/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "destinations", description = "Pause and resume deliveries to a system")
public class DestinationsResource {

    public record DestinationView(String name, boolean paused, String pausedBy, Instant pausedAt, long queued,
                                  long dead, double oldestQueuedAgeSeconds) {
    }

    @Inject
    KnownSystems systems;
    @Inject
    DestinationPauses pauses;
    @Inject
    OutboxStats stats;
    @Inject
    Dispatcher dispatcher;
    @Inject
    AuditTrail audit;
    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every destination: paused or not (by whom, since when), queued and DEAD deliveries, "
            + "age of the oldest queued one")
    @APIResponse(responseCode = "200", description = "The destinations, by name")
    public List<DestinationView> list() {
        stats.refresh();
        Map<String, DestinationPauses.Pause> paused = pauses.all();
        List<DestinationView> views = new ArrayList<>();
        for (String name : systems.destinations()) {
            views.add(view(name, paused.get(name)));
        }
        return views;
    }

    @POST
    @Path("/{name}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Pause deliveries to a destination: they queue and are not attempted until resumed; "
            + "survives a restart and holds for every instance")
    @APIResponse(responseCode = "200", description = "Paused (or already paused: the first pause is kept)")
    @APIResponse(responseCode = "403", description = "Not an operator")
    @APIResponse(responseCode = "404", description = "No such destination")
    public DestinationView pause(@Parameter(description = "Destination system, e.g. mes") @PathParam("name") String name) {
        String destination = destination(name);
        String actor = identity.getPrincipal().getName();
        boolean changed = pauses.pause(destination, actor);
        audit.record(AuditTrail.Entry.of(actor, "pause", "destination " + destination, AuditTrail.OK, null,
                "POST /api/destinations/" + destination + "/pause", changed ? "paused" : "already paused"));
        stats.refresh();
        return view(destination, pauses.of(destination).orElse(null));
    }

    @POST
    @Path("/{name}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resume deliveries to a paused destination: its queue drains at once")
    @APIResponse(responseCode = "200", description = "Resumed (or was not paused)")
    @APIResponse(responseCode = "403", description = "Not an operator")
    @APIResponse(responseCode = "404", description = "No such destination")
    public DestinationView resume(@Parameter(description = "Destination system") @PathParam("name") String name) {
        String destination = destination(name);
        String actor = identity.getPrincipal().getName();
        boolean changed = pauses.resume(destination);
        audit.record(AuditTrail.Entry.of(actor, "resume", "destination " + destination, AuditTrail.OK, null,
                "POST /api/destinations/" + destination + "/resume", changed ? "resumed" : "was not paused"));
        dispatcher.wakeAll();
        stats.refresh();
        return view(destination, null);
    }

    private String destination(String name) {
        String n = SystemsResource.systemName(name);
        if (!systems.destinations().contains(n)) {
            throw new io.weft.api.ProblemException(io.weft.api.Problem.of(404, "unknown-destination",
                    "No such destination", "No destination '" + n + "' (known: " + systems.destinations() + ")"));
        }
        return n;
    }

    private DestinationView view(String name, DestinationPauses.Pause pause) {
        var s = stats.of(name);
        return new DestinationView(name, pause != null, pause == null ? null : pause.pausedBy(),
                pause == null ? null : pause.pausedAt(), s.backlog(), s.dead(), s.oldestPendingAge().toMillis() / 1000.0);
    }
}
