package io.weft.ops;

import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.delivery.Dispatcher;
import io.weft.delivery.Outbox;
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
    public List<JournalQueries.MessageSummary> search(@QueryParam("businessKey") String businessKey,
                                                      @QueryParam("type") String type,
                                                      @QueryParam("source") String source,
                                                      @QueryParam("status") String status,
                                                      @QueryParam("since") String since,
                                                      @QueryParam("until") String until,
                                                      @QueryParam("limit") String limit) {
        return queries.search(new JournalQueries.Search(text("businessKey", businessKey, StoredLimits.SUBJECT),
                text("type", type, StoredLimits.TYPE), system("source", source), status(status),
                instant("since", since), instant("until", until),
                limit(limit)));
    }

    @GET
    @Path("/messages/{id}")
    @RolesAllowed(Roles.VIEWER)
    public JournalQueries.MessageDetail message(@PathParam("id") String id) {
        JournalQueries.MessageDetail detail = queries.find(messageId(id)).orElseThrow(() -> unknownMessage(id));
        return identity.hasRole(Roles.PAYLOAD) ? detail : PayloadPermission.withoutPayload(detail);
    }

    @POST
    @Path("/messages/{id}/replay")
    @RolesAllowed(Roles.OPERATOR)
    public Response replay(@PathParam("id") String id, @QueryParam("destination") String destination) {
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
    public List<JournalQueries.DeliveryView> deliveries(@QueryParam("status") String status,
                                                        @QueryParam("destination") String destination,
                                                        @QueryParam("limit") String limit) {
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
