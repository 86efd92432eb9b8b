package io.weft.ops;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.delivery.FailedAttempts;
import io.weft.observe.BacklogSampler;
import io.weft.observe.ReachabilityHistory;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/systems}: each connected system, whether it can be reached, its backlog and last success;
 * {@code GET /api/systems/{name}}: one system with its history, recent failures and configuration files.
 */
@Path("/api/systems")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "systems", description = "The connected systems and their state")
public class SystemsResource {

    /** One system with its reachability transitions, backlog samples, failed attempts and files. */
    public record SystemDetail(String name, boolean sends, boolean receives, String reachability, boolean paused,
                               String lastError, Instant lastErrorAt, Instant lastSuccess, long backlog,
                               double oldestPendingAgeSeconds, long dead,
                               List<ReachabilityHistory.Transition> reachabilityHistory,
                               List<BacklogSampler.Sample> backlogHistory, List<FailedAttempts.Failed> recentFailures,
                               List<String> routeFiles, List<String> mappings) {
    }

    @Inject
    SystemViews views;
    @Inject
    ReachabilityHistory reachabilityHistory;
    @Inject
    BacklogSampler backlog;
    @Inject
    FailedAttempts failed;
    @Inject
    SystemFiles files;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every connected system: reachability, pause, backlog, DEAD count, last success and error")
    @APIResponse(responseCode = "200", description = "The systems, by name")
    @APIResponse(responseCode = "401", description = "Not logged in")
    public List<SystemViews.SystemView> list() {
        return views.all();
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One system with its reachability history (transitions, last 50), backlog over the last "
            + "7 days (one sample a minute), its last 20 failed attempts, its route file and mappings")
    @APIResponse(responseCode = "200", description = "The system")
    @APIResponse(responseCode = "400", description = "Not a system name")
    @APIResponse(responseCode = "404", description = "No such system")
    public SystemDetail system(@Parameter(description = "System name, e.g. mes") @PathParam("name") String name) {
        SystemViews.SystemView v = views.of(systemName(name)).orElseThrow(() -> unknownSystem(name));
        return new SystemDetail(v.name(), v.sends(), v.receives(), v.reachability(), v.paused(), v.lastError(),
                v.lastErrorAt(), v.lastSuccess(), v.backlog(), v.oldestPendingAgeSeconds(), v.dead(),
                reachabilityHistory.of(v.name(), 50),
                backlog.of(v.name(), Instant.now().minus(Duration.ofDays(7)), 7 * 24 * 60),
                v.receives() ? failed.recent(v.name(), 20) : List.of(),
                files.routeFiles(v.name()), files.mappings(v.name()));
    }

    @GET
    @Path("/{name}/files/{file}")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The text of one of the system's route or mapping files (read-only)")
    @APIResponse(responseCode = "200", description = "The file's text")
    @APIResponse(responseCode = "404", description = "No such system, or the file is not one of its files")
    public String file(@Parameter(description = "System name") @PathParam("name") String name,
                       @Parameter(description = "A file name from routeFiles or mappings") @PathParam("file") String file) {
        String system = views.of(systemName(name)).orElseThrow(() -> unknownSystem(name)).name();
        return files.read(system, file).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-file",
                "No such file", "'" + QueryParams.printable(file) + "' is not a route or mapping file of " + system)));
    }

    static String systemName(String name) {
        if (name == null || !io.weft.systems.KnownSystems.NAME.matcher(name).matches()) {
            throw new ProblemException(Problem.of(400, "bad-system-name", "Invalid system name",
                    "A system name is lower-case letters, digits and '-', got '" + QueryParams.printable(name) + "'"));
        }
        return name;
    }

    static ProblemException unknownSystem(String name) {
        return new ProblemException(Problem.of(404, "unknown-system", "No such system",
                "No system '" + QueryParams.printable(name) + "' is connected"));
    }
}
