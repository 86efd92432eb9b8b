package io.weft.ops.landscape;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.delivery.FlowStatistics;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The flow inventory: every flow ranked by failures, then volume, over an hour, a day or a week, with its p95
 * latency from acceptance to delivery and a trend of 12 buckets; as JSON or CSV (the same rows).
 */
@Path("/api")
@Tag(name = "landscape")
public class FlowsResource {
    static final int BUCKETS = 12;
    private static final Map<String, Duration> WINDOWS = Map.of("hour", Duration.ofHours(1), "day", Duration.ofDays(1),
            "week", Duration.ofDays(7));

    public record FlowRow(String source, String type, String destination, long messages, long failedAttempts,
                          long dead, double failureRate, Long p95LatencyMillis, List<Long> trend) {
    }

    @Inject
    FlowCatalog catalog;

    @GET
    @Path("/flows")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every flow over the window, ranked by failed attempts plus DEAD, then by messages; "
            + "as CSV with Accept: text/csv")
    @APIResponse(responseCode = "200", description = "The flows (JSON array, or CSV with a header row)")
    @APIResponse(responseCode = "400", description = "window is not hour, day or week")
    public Response flows(@Parameter(description = "hour (default), day or week", schema = @Schema(
            type = SchemaType.STRING, enumeration = {"hour", "day", "week"})) @QueryParam("window") String window,
                          @Context HttpHeaders headers) {
        List<FlowRow> rows = rows(window(window));
        boolean csv = headers.getAcceptableMediaTypes().stream().findFirst()
                .map(m -> m.isCompatible(MediaType.valueOf("text/csv")) && !m.isWildcardType()).orElse(false);
        return csv ? Response.ok(FlowCsv.of(rows), "text/csv").build()
                : Response.ok(rows, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/flows.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The flow inventory as CSV, for a download link")
    @APIResponse(responseCode = "200", description = "CSV with a header row")
    @APIResponse(responseCode = "400", description = "window is not hour, day or week")
    public String csv(@Parameter(description = "hour (default), day or week") @QueryParam("window") String window) {
        return FlowCsv.of(rows(window(window)));
    }

    private List<FlowRow> rows(Duration window) {
        List<FlowRow> rows = new ArrayList<>();
        catalog.over(window, BUCKETS).forEach((f, c) -> rows.add(new FlowRow(f.source(), f.type(), f.destination(),
                c.messages, c.failedAttempts, c.dead, c.failureRate(), c.p95LatencyMillis,
                java.util.Arrays.stream(c.trend).boxed().collect(Collectors.toList()))));
        rows.sort(Comparator.comparingLong((FlowRow r) -> r.failedAttempts() + r.dead()).reversed()
                .thenComparing(Comparator.comparingLong(FlowRow::messages).reversed()));
        return rows;
    }

    static Duration window(String window) {
        if (window == null || window.isBlank()) {
            return WINDOWS.get("hour");
        }
        Duration d = WINDOWS.get(window.trim());
        if (d == null) {
            throw new ProblemException(Problem.of(400, "bad-parameter", "Invalid query parameter 'window'",
                    "window must be hour, day or week, got '" + (window.length() > 20 ? window.substring(0, 20) + "..." : window).replaceAll("\\p{Cntrl}", "?") + "'"));
        }
        return d;
    }
}
