package io.weft.ops;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.delivery.Dispatcher;
import io.weft.delivery.Outbox;
import io.weft.delivery.OutboxReads;
import io.weft.hub.StoredLimits;
import io.weft.journal.JournalQueries;
import io.quarkus.security.identity.SecurityIdentity;
import io.weft.security.operators.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.weft.ops.QueryParams.instant;
import static io.weft.ops.QueryParams.limit;
import static io.weft.ops.QueryParams.messageId;
import static io.weft.ops.QueryParams.system;
import static io.weft.ops.QueryParams.text;

/** The operations API: find messages in the journal, see every delivery and attempt, replay. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "messages", description = "The journal: messages, their deliveries and attempts; replay")
public class MessagesResource {
    private static final List<String> STATUSES = Arrays.stream(Outbox.Status.values()).map(Enum::name).toList();

    @Inject
    JournalQueries queries;
    @Inject
    Outbox outbox;
    @Inject
    Dispatcher dispatcher;
    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/messages")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Search the journal, newest first")
    @APIResponse(responseCode = "200", description = "The messages found, each with its overall status")
    @APIResponse(responseCode = "400", description = "A parameter is invalid (problem+json naming it)")
    public List<JournalQueries.MessageSummary> search(@Parameter(description = "Business key: order, lot or shipment number") @QueryParam("businessKey") String businessKey,
                                                      @Parameter(description = "Canonical type, e.g. ProductionOrder") @QueryParam("type") String type,
                                                      @Parameter(description = "Sending system") @QueryParam("source") String source,
                                                      @Parameter(description = "Receiving system: messages with a delivery to it") @QueryParam("destination") String destination,
                                                      @Parameter(description = "PENDING, RETRYING, DELIVERED or DEAD") @QueryParam("status") String status,
                                                      @Parameter(description = "Received at or after (ISO-8601 instant)") @QueryParam("since") String since,
                                                      @Parameter(description = "Received before (ISO-8601 instant)") @QueryParam("until") String until,
                                                      @Parameter(description = "The next page: the messages after this message id (the last one of the page before)") @QueryParam("before") String before,
                                                      @Parameter(description = "1 to 1000, default 50") @QueryParam("limit") String limit) {
        return queries.search(new JournalQueries.Search(text("businessKey", businessKey, StoredLimits.SUBJECT),
                text("type", type, StoredLimits.TYPE), system("source", source), system("destination", destination),
                status(status), instant("since", since), instant("until", until), text("before", before, 64),
                limit(limit)));
    }

    @GET
    @Path("/messages/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One message: envelope (payload only with the payload permission), deliveries, attempts")
    @APIResponse(responseCode = "200", description = "The message")
    @APIResponse(responseCode = "400", description = "Not a message id (a UUID)")
    @APIResponse(responseCode = "404", description = "No such message")
    public JournalQueries.MessageDetail message(@Parameter(description = "Message id (UUID)") @PathParam("id") String id) {
        JournalQueries.MessageDetail detail = queries.find(messageId(id)).orElseThrow(() -> unknownMessage(id));
        return identity.hasRole(Roles.PAYLOAD) ? detail : PayloadPermission.withoutPayload(detail);
    }

    @POST
    @Path("/messages/{id}/replay")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Replay a message: every DEAD delivery, or the one to the destination named (re-sent even "
            + "if delivered)")
    @APIResponse(responseCode = "202", description = "Requeued: {id, requeued: [destinations]}")
    @APIResponse(responseCode = "400", description = "Not a message id, or an invalid destination")
    @APIResponse(responseCode = "403", description = "Not an operator")
    @APIResponse(responseCode = "404", description = "No such message, or no delivery to that destination")
    @APIResponse(responseCode = "409", description = "Nothing to replay (no DEAD delivery, or it is still queued)")
    public Response replay(@Parameter(description = "Message id (UUID)") @PathParam("id") String id,
                           @Parameter(description = "Only this destination") @QueryParam("destination") String destination) {
        JournalQueries.MessageDetail message = queries.find(messageId(id)).orElseThrow(() -> unknownMessage(id));
        String target = system("destination", destination);
        if (target != null && message.deliveries().stream().noneMatch(d -> d.destination().equals(target))) {
            throw new ProblemException(Problem.of(404, "unknown-delivery", "No such delivery",
                    "Message " + id + " has no delivery to '" + target + "'"));
        }
        List<String> requeued = outbox.requeue(id, target, identity.getPrincipal().getName());
        if (requeued.isEmpty()) {
            throw new ProblemException(Problem.of(409, "nothing-to-replay", "Nothing to replay",
                    target == null ? "Message " + id + " has no DEAD delivery; name a destination to re-send a delivered one"
                            : "The delivery of " + id + " to " + target + " is still queued"));
        }
        dispatcher.wakeAll();
        return Response.accepted(Map.of("id", id, "requeued", requeued)).build();
    }

    @GET
    @Path("/deliveries")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Deliveries by status and destination")
    @APIResponse(responseCode = "200", description = "The deliveries")
    @APIResponse(responseCode = "400", description = "A parameter is invalid")
    public List<OutboxReads.DeliveryView> deliveries(@Parameter(description = "PENDING, RETRYING, DELIVERED or DEAD") @QueryParam("status") String status,
                                                        @Parameter(description = "Destination system") @QueryParam("destination") String destination,
                                                        @Parameter(description = "1 to 1000, default 50") @QueryParam("limit") String limit) {
        return queries.deliveries(status(status), system("destination", destination), limit(limit));
    }

    private static ProblemException unknownMessage(String id) {
        return new ProblemException(Problem.of(404, "unknown-message", "No such message",
                "No message with id " + id + " is in the journal"));
    }

    private static String status(String status) {
        String s = text("status", status, 16);
        if (s != null && !STATUSES.contains(s)) {
            throw QueryParams.bad("status", "must be one of " + STATUSES + ", got '" + QueryParams.printable(status) + "'");
        }
        return s;
    }

}
