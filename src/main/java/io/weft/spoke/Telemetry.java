package io.weft.spoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.envelope.WeftHeaders;
import io.weft.hub.Hub;
import io.weft.hub.StoredLimits;
import io.weft.hub.SystemPlants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what an IoT telemetry reading means (bean {@code telemetry}, used by routes/systems/iot.camel.yaml).
 * A reading is one metric of one machine, {@code {"metric": "temperature", "value": 92.5, "unit": "CEL",
 * "ts": "..."}}, on a topic whose levels name the line and the machine (the first and second {@code +} of
 * {@code weft.systems.iot.topic}). Past the machine's limit ({@code weft.systems.iot.limits.<machine>.<metric>},
 * else {@code weft.systems.iot.limits.default.<metric>}) and with no alarm raised for it, it raises one: header
 * {@code WeftAlarm=raise}, the body becomes the input of {@code iot/MachineAlarm.in.jsonata}, and the alarm id
 * (line, machine, metric, excursion number) is the source message id. Every other reading sets
 * {@code WeftAlarm=none} and is only counted ({@code weft_iot_readings_total{outcome=...}}).
 */
@ApplicationScoped
@Named("telemetry")
public class Telemetry {
    public static final String ALARM = WeftHeaders.IOT_ALARM;
    static final String LINE = WeftHeaders.IOT_LINE;
    static final String MACHINE = WeftHeaders.IOT_MACHINE;
    static final String METRIC = WeftHeaders.IOT_METRIC;
    static final String EPISODE = WeftHeaders.IOT_EPISODE;
    /** A reading is flat; a little nesting (a "tags" object, say) is tolerated, a mapping-breaking depth is not. */
    static final int MAX_DEPTH = 16;

    /** What a reading led to; the label of the readings counter. */
    public enum Outcome { ALARM, SUPPRESSED, CLEARED, IN_LIMIT, NO_LIMIT }

    @Inject
    ObjectMapper json;
    @Inject
    Config config;
    @Inject
    AlarmStates states;
    @Inject
    MeterRegistry registry;
    @Inject
    SystemPlants plants;
    @ConfigProperty(name = "weft.systems.iot.topic", defaultValue = "plant/+/+/telemetry")
    String topicFilter;

    public void evaluate(Exchange exchange) {
        Message in = exchange.getMessage();
        String system = in.getHeader(Hub.SOURCE_SYSTEM, "iot", String.class);
        String[] where = lineAndMachine(in.getHeader("CamelMqttTopic", String.class));
        JsonNode reading = parse(in.getBody(byte[].class));
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
        String line = where[0];
        String machine = where[1];
        String metric = metricNode.asText();
        // Kept in iot_alarm_state (64-character columns) and part of the alarm id: refused here, as bad input,
        // rather than failing the state write (which would leave the message unacknowledged, to come back forever).
        storable("line (topic level)", line);
        storable("machine (topic level)", machine);
        storable("metric", metric);
        double value = valueNode.asDouble();
        in.setHeader(ALARM, "none");

        Optional<Double> limit = limit(machine, metric);
        if (limit.isEmpty()) {
            count(system, Outcome.NO_LIMIT);
            return;
        }
        if (value <= limit.get()) {
            count(system, states.clear(system, line, machine, metric) ? Outcome.CLEARED : Outcome.IN_LIMIT);
            return;
        }
        AlarmStates.State state = states.of(system, line, machine, metric);
        if (state.raised()) {
            count(system, Outcome.SUPPRESSED);
            return;
        }
        long episode = state.episode() + 1;
        String alarmId = line + "." + machine + "." + metric + "." + episode;
        ObjectNode input = json.createObjectNode();
        input.put("plant", plants.plantOf(system));
        input.put("line", line);
        input.put("machine", machine);
        input.put("limit", limit.get());
        input.put("alarmId", alarmId);
        input.put("receivedAt", Instant.now().toString());
        input.set("reading", reading);
        in.setBody(input.toString());
        in.setHeader(ALARM, "raise");
        in.setHeader(Hub.SOURCE_MESSAGE_ID, alarmId);
        in.setHeader(LINE, line);
        in.setHeader(MACHINE, machine);
        in.setHeader(METRIC, metric);
        in.setHeader(EPISODE, episode);
    }

    /** After the alarm was committed: remember it is raised, so the next readings past the limit are not. */
    public void raised(Exchange exchange) {
        Message in = exchange.getMessage();
        states.raised(in.getHeader(Hub.SOURCE_SYSTEM, "iot", String.class), in.getHeader(LINE, String.class),
                in.getHeader(MACHINE, String.class), in.getHeader(METRIC, String.class),
                in.getHeader(EPISODE, Long.class));
        count(in.getHeader(Hub.SOURCE_SYSTEM, "iot", String.class), Outcome.ALARM);
    }

    Optional<Double> limit(String machine, String metric) {
        Optional<Double> own = config.getOptionalValue("weft.systems.iot.limits." + machine + "." + metric, Double.class);
        return own.isPresent() ? own
                : config.getOptionalValue("weft.systems.iot.limits.default." + metric, Double.class);
    }

    /** The topic levels at the filter's first and second '+': line and machine. */
    String[] lineAndMachine(String topic) {
        if (topic == null) {
            throw new MalformedInputException("the reading came without a topic");
        }
        String[] filter = topicFilter.split("/", -1);
        String[] levels = topic.split("/", -1);
        if (levels.length != filter.length) {
            throw new MalformedInputException("topic " + topic + " does not match " + topicFilter);
        }
        String[] found = new String[2];
        int wildcard = 0;
        for (int i = 0; i < filter.length; i++) {
            if ("+".equals(filter[i]) && wildcard < 2) {
                if (levels[i].isEmpty()) {
                    throw new MalformedInputException("topic " + topic + " has an empty line or machine level");
                }
                found[wildcard++] = levels[i];
            }
        }
        if (wildcard < 2) {
            throw new IllegalStateException("weft.systems.iot.topic " + topicFilter
                    + " must have two '+' levels (line, machine)");
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
            String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                    ? p.getOriginalMessage() + (p.getLocation() == null ? ""
                    : " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr())
                    : e.getMessage();
            throw new MalformedInputException("the reading is not JSON: " + detail, e);
        }
    }

    private void count(String system, Outcome outcome) {
        Counter.builder("weft.iot.readings").description("Telemetry readings received, by what they led to")
                .tag("system", system).tag("outcome", outcome.name().toLowerCase()).register(registry).increment();
    }
}
