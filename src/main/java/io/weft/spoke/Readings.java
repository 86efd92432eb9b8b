package io.weft.spoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.hub.StoredLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;

/**
 * Reads a telemetry reading: the line and machine from the topic (the first and second {@code +} of
 * {@code weft.systems.iot.topic}), the metric and value from the JSON payload. Whatever cannot be read is a
 * {@link MalformedInputException}, which the spoke records as a rejection.
 */
@ApplicationScoped
public class Readings {
    /** A reading is flat; a little nesting (a "tags" object, say) is tolerated, a mapping-breaking depth is not. */
    static final int MAX_DEPTH = 16;

    /** One reading: where it came from and what it says ({@code json}: the payload as parsed). */
    public record Reading(String line, String machine, String metric, double value, JsonNode json) {
    }

    @Inject
    ObjectMapper json;
    private final String[] filter;
    private final String topicFilter;

    @Inject
    Readings(@ConfigProperty(name = "weft.systems.iot.topic", defaultValue = "plant/+/+/telemetry") String topicFilter) {
        this.topicFilter = topicFilter;
        this.filter = topicFilter.split("/", -1);
        if (java.util.Arrays.stream(filter).filter("+"::equals).count() < 2) {
            throw new IllegalStateException("weft.systems.iot.topic " + topicFilter + " must have two '+' levels (line, machine)");
        }
    }

    public Reading read(String topic, byte[] payload) {
        String[] where = lineAndMachine(topic);
        JsonNode reading = parse(payload);
        JsonNode metricNode = reading.get("metric");
        JsonNode valueNode = reading.get("value");
        if (metricNode == null || !metricNode.isTextual() || metricNode.asText().isBlank()) {
            throw new MalformedInputException("the reading has no \"metric\" (text)");
        }
        if (valueNode == null || !valueNode.isNumber()) {
            throw new MalformedInputException("the reading has no numeric \"value\"");
        }
        if (!Double.isFinite(valueNode.asDouble())) {
            throw new MalformedInputException("the reading's \"value\" is beyond what a 64-bit floating point number holds");
        }
        String metric = metricNode.asText();
        // Kept in iot_alarm_state (64-character columns) and part of the alarm id: refused here, as bad input,
        // rather than failing the state write (which would leave the message unacknowledged, to come back forever).
        storable("line (topic level)", where[0]);
        storable("machine (topic level)", where[1]);
        storable("metric", metric);
        return new Reading(where[0], where[1], metric, valueNode.asDouble(), reading);
    }

    /** The topic levels at the filter's first and second '+': line and machine. */
    String[] lineAndMachine(String topic) {
        if (topic == null) {
            throw new MalformedInputException("the reading came without a topic");
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != filter.length) {
            throw new MalformedInputException("topic " + topic + " does not match " + topicFilter);
        }
        String[] found = new String[2];
        int wildcard = 0;
        for (int i = 0; i < filter.length && wildcard < 2; i++) {
            if ("+".equals(filter[i])) {
                if (levels[i].isEmpty()) {
                    throw new MalformedInputException("topic " + topic + " has an empty line or machine level");
                }
                found[wildcard++] = levels[i];
            }
        }
        return found;
    }

    private static void storable(String what, String value) {
        String problem = StoredLimits.problem(value, AlarmStates.NAME_LIMIT);
        if (problem != null) {
            throw new MalformedInputException("the reading's " + what + " " + problem);
        }
    }

    /** Nesting depth of a JSON tree, counted no further than {@code cap}. */
    private static int depth(JsonNode node, int cap) {
        if (cap == 0 || !node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child, cap - 1));
        }
        return deepest + 1;
    }

    private JsonNode parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new MalformedInputException("the reading is empty");
        }
        try {
            JsonNode node = json.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new MalformedInputException("the reading is not a JSON object");
            }
            if (depth(node, MAX_DEPTH + 1) > MAX_DEPTH) {
                throw new MalformedInputException("the reading is nested deeper than " + MAX_DEPTH + " levels");
            }
            return node;
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException p
                    ? p.getOriginalMessage() + (p.getLocation() == null ? ""
                    : " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr())
                    : e.getMessage();
            throw new MalformedInputException("the reading is not JSON: " + detail, e);
        }
    }
}
