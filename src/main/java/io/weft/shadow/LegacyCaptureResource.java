package io.weft.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.journal.RecentMessages;
import io.weft.mapping.JsonDiff;
import io.weft.mapping.MappingException;
import io.weft.mapping.Mappings;
import io.weft.store.Store;
import io.weft.systems.KnownSystems;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /inbound/<system>/legacy-capture?businessKey=<key>[&type=<Type>]}: the body a legacy point-to-point
 * script delivered to {@code <system>} for a business key (JSON), posted by a hook beside the script with the
 * system's own inbound credentials (the inbound guard checks them as for any {@code /inbound/<system>/...}).
 * Weft applies the system's live outbound mapping to its newest journaled message with that key and records
 * MATCH or MISMATCH with the differing fields, or NO_MESSAGE when it has none. Nothing is published or delivered.
 */
@Path("/inbound/{system}/legacy-capture")
public class LegacyCaptureResource {
    @Inject
    Mappings mapper;
    @Inject
    Store store;
    @Inject
    ShadowStore shadowStore;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> capture(@PathParam("system") String system, @QueryParam("businessKey") String businessKey,
                                       @QueryParam("type") String type, String body) {
        if (!KnownSystems.NAME.matcher(system).matches()) {
            throw ShadowResource.bad("system", "must be a system name");
        }
        String key = businessKey == null ? "" : businessKey.strip();
        if (key.isEmpty() || key.length() > 256) {
            throw ShadowResource.bad("businessKey", "is required: the order, lot or shipment number the legacy output is for");
        }
        if (type != null && !type.matches("[A-Z][A-Za-z0-9]{0,63}")) {
            throw ShadowResource.bad("type", "must be a canonical type name such as ProductionOrder");
        }
        JsonNode legacy;
        try {
            legacy = mapper.json().readTree(body == null ? "" : body);
        } catch (Exception e) {
            legacy = null;
        }
        if (legacy == null || legacy.isMissingNode()) {
            throw new ProblemException(Problem.of(400, "malformed", "The legacy output is not JSON",
                    "post the JSON body the legacy script delivered to " + system));
        }
        Optional<RecentMessages.Journaled> message = store.read(c -> type != null
                ? RecentMessages.forKey(c, key, type)
                : RecentMessages.allForKey(c, key).stream().filter(j -> liveMapping(system, j.type()) != null).findFirst());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("system", system);
        answer.put("businessKey", key);
        if (message.isEmpty()) {
            shadowStore.recordLegacy(system, key, type, null, "NO_MESSAGE", List.of());
            answer.put("outcome", "NO_MESSAGE");
            answer.put("differences", List.of());
            return answer;
        }
        RecentMessages.Journaled found = message.get();
        String mapping = liveMapping(system, found.type());
        if (mapping == null) {
            throw new ProblemException(Problem.of(422, "no-mapping", "No outbound mapping",
                    system + " has no outbound mapping for " + found.type() + " (mappings/" + system + "/"
                            + found.type() + ".out.jsonata)"));
        }
        Object weft;
        try {
            weft = mapper.mapToTree(found.envelope(), mapping);
        } catch (MappingException e) {
            throw new ProblemException(Problem.of(422, "mapping-failed", "Weft's mapping fails for this message",
                    e.getMessage()));
        }
        List<JsonDiff.Difference> differences = JsonDiff.differences(mapper.json().valueToTree(weft), legacy);
        String outcome = differences.isEmpty() ? "MATCH" : "MISMATCH";
        shadowStore.recordLegacy(system, key, found.type(), found.id(), outcome, differences);
        answer.put("type", found.type());
        answer.put("messageId", found.id());
        answer.put("outcome", outcome);
        answer.put("differences", differences.stream()
                .map(d -> new LegacyField(d.pointer(), d.left(), d.right())).toList());
        return answer;
    }

    public record LegacyField(String path, String weft, String legacy) {
    }

    /** The system's live outbound mapping of a type (its configured API version's, if it has versions), or null. */
    private String liveMapping(String system, String type) {
        try {
            String file = mapper.versionedFile(system + "/" + type + ".out.jsonata", null);
            return Files.isRegularFile(mapper.mappingsDir().resolve(file)) ? file : null;
        } catch (MappingException e) {
            return null;
        }
    }
}
