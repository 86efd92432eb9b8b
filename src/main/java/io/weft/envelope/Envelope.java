package io.weft.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;

/**
 * The canonical message: a CloudEvents 1.0 event in JSON structured mode. {@code subject} carries the
 * business key (order, lot or shipment number); {@code sourcemessageid} the source system's own id, used
 * to recognise a message seen before; {@code correlationid} ties together messages of one business flow;
 * {@code traceparent} (CloudEvents distributed-tracing extension) the W3C trace it was received in.
 */
public record Envelope(String id, String sourceSystem, String source, String type, String subject,
                       OffsetDateTime time, String dataschema, String correlationId, String sourceMessageId,
                       String traceparent, JsonNode data) {

    public static final String SPEC_VERSION = "1.0";

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("specversion", SPEC_VERSION);
        node.put("id", id);
        node.put("source", source);
        node.put("type", type);
        if (subject != null) {
            node.put("subject", subject);
        }
        node.put("time", time.toString());
        node.put("datacontenttype", "application/json");
        node.put("dataschema", dataschema);
        node.put("correlationid", correlationId);
        node.put("sourcemessageid", sourceMessageId);
        if (traceparent != null) {
            node.put("traceparent", traceparent);
        }
        node.set("data", data);
        return node;
    }

    /** The 32-hex-digit trace id inside the traceparent, or null. */
    public String traceId() {
        return traceparent == null || traceparent.length() < 35 ? null : traceparent.substring(3, 35);
    }

    /** The system name is the last segment of {@code /plants/<plant>/systems/<system>}. */
    public static Envelope fromJson(JsonNode node) {
        String source = node.path("source").asText();
        return new Envelope(node.path("id").asText(), source.substring(source.lastIndexOf('/') + 1), source,
                node.path("type").asText(), node.hasNonNull("subject") ? node.get("subject").asText() : null,
                OffsetDateTime.parse(node.path("time").asText()), node.path("dataschema").asText(),
                node.path("correlationid").asText(null), node.path("sourcemessageid").asText(null),
                node.path("traceparent").asText(null), node.path("data"));
    }
}
