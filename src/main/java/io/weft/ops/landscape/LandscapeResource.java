package io.weft.ops.landscape;

import io.weft.delivery.FlowStatistics;
import io.weft.ops.SystemViews;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/landscape}: every system as a node and every flow as an edge, with the last hour's counts. */
@Path("/api/landscape")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "landscape", description = "The plant's integration landscape and flow inventory")
public class LandscapeResource {

    public record Landscape(List<Node> systems, List<Edge> flows) {
    }

    public record Node(String name, boolean sends, boolean receives, String reachability, boolean paused, long backlog,
                       double oldestWaitingSeconds, long dead, Instant lastSuccess, String lastError,
                       Instant lastErrorAt) {
    }

    public record LastHour(long messages, long delivered, long failedAttempts, long dead) {
    }

    public record Edge(String source, String type, String destination, LastHour lastHour, double failureRate) {
    }

    @Inject
    SystemViews views;
    @Inject
    FlowCatalog flows;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every connected system (sends/receives, reachability, pause, backlog, oldest waiting, DEAD, "
            + "last success and error) and every flow source -> type -> destination from the route files and the "
            + "router, with the last hour's messages, deliveries, failed attempts, DEAD and failure rate (failed "
            + "attempts / attempts); flows without traffic included")
    @APIResponse(responseCode = "200", description = "The landscape")
    public Landscape landscape() {
        List<Node> nodes = views.all().stream().map(v -> new Node(v.name(), v.sends(), v.receives(), v.reachability(),
                v.paused(), v.backlog(), v.oldestPendingAgeSeconds(), v.dead(), v.lastSuccess(), v.lastError(),
                v.lastErrorAt())).toList();
        List<Edge> edges = flows.over(Duration.ofHours(1), 1).entrySet().stream().map(e -> {
            FlowStatistics.Flow f = e.getKey();
            FlowStatistics.Counts c = e.getValue();
            return new Edge(f.source(), f.type(), f.destination(),
                    new LastHour(c.messages, c.delivered, c.failedAttempts, c.dead), c.failureRate());
        }).toList();
        return new Landscape(nodes, edges);
    }
}
