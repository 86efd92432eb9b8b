package io.weft.ops;

import io.weft.hub.KnownSystems;
import io.weft.observe.OutboxStats;
import io.weft.observe.SystemReachability;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code GET /api/systems}: each connected system, whether it can be reached, its backlog and last success. */
@Path("/api/systems")
@Produces(MediaType.APPLICATION_JSON)
public class SystemsResource {

    public record SystemView(String name, boolean sends, boolean receives, String reachability, String lastError,
                             Instant lastSuccess, long backlog, double oldestPendingAgeSeconds, long dead) {
    }

    @Inject
    KnownSystems systems;
    @Inject
    SystemReachability reachability;
    @Inject
    OutboxStats stats;

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<SystemView> list() {
        stats.refresh();
        TreeSet<String> names = new TreeSet<>(systems.sources());
        names.addAll(systems.destinations());
        List<SystemView> views = new ArrayList<>();
        for (String name : names) {
            boolean receives = systems.destinations().contains(name);
            var state = reachability.of(name);
            var outbox = stats.of(name);
            views.add(new SystemView(name, systems.sources().contains(name), receives,
                    state.map(s -> s.reachable() ? "UP" : "DOWN").orElse(receives ? "UNKNOWN" : "N/A (sends to Weft)"),
                    state.map(SystemReachability.State::lastError).orElse(null),
                    state.map(SystemReachability.State::lastSuccess).orElse(null),
                    outbox.backlog(), outbox.oldestPendingAge().toMillis() / 1000.0, outbox.dead()));
        }
        return views;
    }
}
