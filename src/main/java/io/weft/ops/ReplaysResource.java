package io.weft.ops;

import io.quarkus.security.identity.SecurityIdentity;
import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.audit.AuditTrail;
import io.weft.delivery.BulkReplays;
import io.weft.delivery.DeadDeliveries;
import io.weft.delivery.Dispatcher;
import io.weft.delivery.OutcomeClass;
import io.weft.hub.StoredLimits;
import io.weft.security.operators.Roles;
import io.weft.systems.KnownSystems;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Bulk replay in two steps: {@code POST /api/replays/preview} with a filter shows how many DEAD deliveries,
 * which business keys and destinations a replay would queue, and stores exactly those; {@code POST
 * /api/replays/{previewId}} replays them (those still DEAD), once. Both audited with the actor and the filter.
 */
@Path("/api/replays")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "failures")
public class ReplaysResource {
    private static final List<String> OUTCOME_CLASSES = Arrays.stream(OutcomeClass.values()).map(Enum::name).toList();

    /** The filter of a bulk replay; only {@code destination} is required. */
    public record ReplayFilter(String destination, String outcomeClass, String error, String type, String from,
                               String to, List<String> messageIds) {
    }

    @Inject
    BulkReplays replays;
    @Inject
    KnownSystems systems;
    @Inject
    Dispatcher dispatcher;
    @Inject
    AuditTrail audit;
    @Inject
    SecurityIdentity identity;
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Preview a bulk replay of a destination's DEAD deliveries matching the filter "
            + "(outcomeClass, error as GET /api/failures shows it, type, from/to on the message's receipt, messageIds); "
            + "nothing is replayed until the preview is confirmed")
    @APIResponse(responseCode = "200", description = "The preview: its id, count, business keys (up to 50), "
            + "destinations and message ids")
    @APIResponse(responseCode = "400", description = "A filter field is missing or invalid")
    @APIResponse(responseCode = "403", description = "Not an operator")
    @APIResponse(responseCode = "404", description = "No such destination")
    public BulkReplays.Preview preview(
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(description = "The filter", content =
            @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON, schema =
            @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = ReplayFilter.class))) String body) {
        DeadDeliveries.Filter f = validated(parse(body));
        String actor = identity.getPrincipal().getName();
        BulkReplays.Preview preview = replays.preview(f, describe(f), actor);
        audit.record(AuditTrail.Entry.of(actor, "bulk-replay-preview", "destination " + f.destination(), AuditTrail.OK,
                null, "POST /api/replays/preview", "preview " + preview.previewId() + ": " + preview.count()
                        + " deliveries; " + describe(f)));
        return preview;
    }

    @POST
    @Path("/{previewId}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Confirm a preview: replays exactly its deliveries that are still DEAD; a second "
            + "confirmation replays nothing")
    @APIResponse(responseCode = "200", description = "How many were replayed, and how many were already queued, "
            + "delivered or replayed before")
    @APIResponse(responseCode = "403", description = "Not an operator")
    @APIResponse(responseCode = "404", description = "No such preview")
    @APIResponse(responseCode = "410", description = "The preview is older than 15 minutes")
    public Map<String, Integer> confirm(@Parameter(description = "The previewId a preview answered")
                                        @PathParam("previewId") String previewId) {
        String id = previewId(previewId);
        String actor = identity.getPrincipal().getName();
        BulkReplays.Confirmed done;
        try {
            done = replays.confirm(id, actor).orElseThrow(() -> new ProblemException(Problem.of(404,
                    "unknown-preview", "No such preview", "No replay preview " + id)));
        } catch (BulkReplays.Expired e) {
            throw new ProblemException(Problem.of(410, "preview-expired", "Preview expired", e.getMessage()));
        }
        audit.record(AuditTrail.Entry.of(actor, "bulk-replay", "destination " + done.destination(), AuditTrail.OK,
                null, "POST /api/replays/" + id, "preview " + id + ": " + done.replayed() + " replayed, "
                        + done.alreadyQueued() + " already queued; " + done.filter()));
        if (done.replayed() > 0) {
            dispatcher.wakeAll();
        }
        return Map.of("replayed", done.replayed(), "alreadyQueued", done.alreadyQueued());
    }

    /** Read here, not by the framework, so that every malformed body is answered as a problem naming the field. */
    private ReplayFilter parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readValue(body, ReplayFilter.class);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(0).getFieldName();
            throw bad(field, "has the wrong type: destination, outcomeClass, error, type, from and to are strings, "
                    + "messageIds an array of strings");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "The body is not valid JSON",
                    e.getOriginalMessage()));
        }
    }

    private DeadDeliveries.Filter validated(ReplayFilter filter) {
        if (filter == null) {
            throw bad("body", "is required: a JSON object with at least a destination");
        }
        String destination = QueryParams.system("destination", filter.destination());
        if (destination == null) {
            throw bad("destination", "is required");
        }
        if (!systems.destinations().contains(destination)) {
            throw new ProblemException(Problem.of(404, "unknown-destination", "No such destination",
                    "No destination '" + QueryParams.printable(destination) + "' (known: " + systems.destinations() + ")"));
        }
        String outcomeClass = QueryParams.text("outcomeClass", filter.outcomeClass(), 16);
        if (outcomeClass != null && !OUTCOME_CLASSES.contains(outcomeClass)) {
            throw bad("outcomeClass", "must be one of " + OUTCOME_CLASSES + ", got '" + QueryParams.printable(outcomeClass) + "'");
        }
        List<String> ids = filter.messageIds() == null ? null : filter.messageIds().stream().map(QueryParams::messageId).toList();
        if (ids != null && ids.size() > 1000) {
            throw bad("messageIds", "may list at most 1000 ids, got " + ids.size());
        }
        var from = QueryParams.instant("from", filter.from());
        var to = QueryParams.instant("to", filter.to());
        if (from != null && to != null && !from.isBefore(to)) {
            throw bad("to", "must be after from");
        }
        return new DeadDeliveries.Filter(destination, outcomeClass, QueryParams.text("error", filter.error(), 2000),
                QueryParams.text("type", filter.type(), StoredLimits.TYPE), from, to, ids);
    }

    private static String describe(DeadDeliveries.Filter f) {
        return "filter destination=" + f.destination() + (f.outcomeClass() == null ? "" : " outcomeClass=" + f.outcomeClass())
                + (f.error() == null ? "" : " error=\"" + f.error() + "\"") + (f.type() == null ? "" : " type=" + f.type())
                + (f.from() == null ? "" : " from=" + f.from()) + (f.to() == null ? "" : " to=" + f.to())
                + (f.messageIds() == null ? "" : " messageIds=" + f.messageIds().size());
    }

    private static String previewId(String value) {
        try {
            return java.util.UUID.fromString(value).toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(Problem.of(400, "bad-preview-id", "Invalid preview id",
                    "A preview id is a UUID, got '" + QueryParams.printable(value) + "'"));
        }
    }

    private static ProblemException bad(String field, String detail) {
        return new ProblemException(Problem.of(400, "bad-replay-filter", "Invalid replay filter field '" + field + "'",
                field + " " + detail));
    }
}
