package io.weft.spoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.envelope.WeftHeaders;
import io.weft.hub.SystemPlants;
import io.weft.journal.Rejections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what IoT telemetry readings mean (bean {@code telemetry}, used by routes/systems/iot.camel.yaml), a batch
 * at a time. A reading is one metric of one machine ({@link Readings}). Past the machine's limit ({@link Limits})
 * with no alarm raised for it, it raises one: an alarm message whose body is the input of
 * {@code iot/MachineAlarm.in.jsonata} and whose source message id is the alarm id (line, machine, metric,
 * excursion number). Every other reading is only counted ({@code weft_iot_readings_total{outcome=...}}).
 *
 * <ol>
 *   <li>{@link #evaluate}: the batch (a list of MQTT messages) in, its alarms (a list of messages) out; one read of
 *       the alarm states it needs, unless they are known ({@link AlarmStates}); unreadable readings are refused;</li>
 *   <li>the route maps and publishes each alarm; one refused there comes back through {@link #refused};</li>
 *   <li>{@link #settle}: after the alarms were committed, the states the batch changed and its rejections are
 *       committed, and the readings counted. Then the consumer acknowledges the batch.</li>
 * </ol>
 */
@ApplicationScoped
@Named("telemetry")
public class Telemetry {
    /** What a reading led to; the label of the readings counter. */
    public enum Outcome { ALARM, SUPPRESSED, CLEARED, IN_LIMIT, NO_LIMIT }

    @Inject
    ObjectMapper json;
    @Inject
    Readings readings;
    @Inject
    Limits limits;
    @Inject
    AlarmStates states;
    @Inject
    Rejections rejections;
    @Inject
    MeterRegistry registry;
    @Inject
    SystemPlants plants;

    private final Map<String, Map<Outcome, Counter>> counters = new ConcurrentHashMap<>();

    private record Read(Message message, Readings.Reading reading, AlarmStates.Key key, Double limit) {
    }

    /** The batch's alarms to raise, each a message the hub can publish. */
    public List<Message> evaluate(Exchange exchange) {
        Message in = exchange.getMessage();
        String system = in.getHeader(WeftHeaders.SOURCE_SYSTEM, "iot", String.class);
        List<Read> read = new ArrayList<>();
        List<Rejections.Rejected> malformed = new ArrayList<>();
        for (Message m : batchOf(in)) {
            try {
                Readings.Reading r = readings.read(m.getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class),
                        m.getBody(byte[].class));
                Optional<Double> limit = limits.of(r.machine(), r.metric());
                read.add(new Read(m, r, limit.isPresent() ? new AlarmStates.Key(system, r.line(), r.machine(), r.metric())
                        : null, limit.orElse(null)));
            } catch (MalformedInputException e) {
                malformed.add(new Rejections.Rejected(system, exchange.getFromRouteId(),
                        in.getHeader(WeftHeaders.TYPE, String.class), m.getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class),
                        null, null, Rejections.reasonOf(e), e.getMessage(), e, text(m)));
            }
        }
        Map<AlarmStates.Key, AlarmStates.State> known = states.of(system,
                read.stream().map(Read::key).filter(k -> k != null).distinct().toList());
        TelemetryBatch batch = new TelemetryBatch(system, exchange.getFromRouteId(), new LinkedHashMap<>(known));
        batch.refused.addAll(malformed);
        exchange.setProperty(TelemetryBatch.PROPERTY, batch);
        List<Message> alarms = new ArrayList<>();
        for (Read r : read) {
            Message alarm = judge(batch, r, in);
            if (alarm != null) {
                alarms.add(alarm);
            }
        }
        return alarms;
    }

    private Message judge(TelemetryBatch batch, Read r, Message in) {
        if (r.key() == null) {
            batch.count(Outcome.NO_LIMIT);
            return null;
        }
        AlarmStates.State state = batch.state(r.key());
        if (r.reading().value() <= r.limit()) {
            if (state.raised()) {
                batch.change(r.key(), new AlarmStates.State(false, state.episode()));
                batch.count(Outcome.CLEARED);
            } else {
                batch.count(Outcome.IN_LIMIT);
            }
            return null;
        }
        if (state.raised()) {
            batch.count(Outcome.SUPPRESSED);
            return null;
        }
        long episode = state.episode() + 1;
        Readings.Reading reading = r.reading();
        String alarmId = reading.line() + "." + reading.machine() + "." + reading.metric() + "." + episode;
        batch.change(r.key(), new AlarmStates.State(true, episode));
        String topic = r.message().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
        batch.alarms.put(alarmId, new TelemetryBatch.Alarm(r.key(), episode, state, topic, text(r.message())));
        ObjectNode input = json.createObjectNode();
        input.put("plant", plants.plantOf(batch.system));
        input.put("line", reading.line());
        input.put("machine", reading.machine());
        input.put("limit", r.limit());
        input.put("alarmId", alarmId);
        input.put("receivedAt", Instant.now().toString());
        input.set("reading", reading.json());
        Message alarm = new DefaultMessage(in.getExchange());
        alarm.setBody(input.toString());
        alarm.setHeader(WeftHeaders.SOURCE_SYSTEM, batch.system);
        alarm.setHeader(WeftHeaders.TYPE, in.getHeader(WeftHeaders.TYPE));
        alarm.setHeader(WeftHeaders.SOURCE_MESSAGE_ID, alarmId);
        alarm.setHeader(PahoMqtt5Constants.MQTT_TOPIC, topic);
        return alarm;
    }

    /** An alarm its mapping or the schema refused (in the route's doCatch): recorded with the batch's rejections. */
    public void refused(Exchange exchange) {
        TelemetryBatch batch = exchange.getProperty(TelemetryBatch.PROPERTY, TelemetryBatch.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String alarmId = exchange.getMessage().getHeader(WeftHeaders.SOURCE_MESSAGE_ID, String.class);
        TelemetryBatch.Alarm alarm = batch.alarms.get(alarmId);
        batch.refused.add(new Rejections.Rejected(batch.system, batch.routeId,
                exchange.getMessage().getHeader(WeftHeaders.TYPE, String.class), alarm.topic(), null, alarmId,
                Rejections.reasonOf(error), error == null ? "rejected" : String.valueOf(error.getMessage()), error,
                alarm.input()));
        batch.unraise(alarmId);
    }

    /** After the batch's alarms were committed: its alarm states and rejections, then the counts. */
    public void settle(Exchange exchange) {
        TelemetryBatch batch = exchange.getProperty(TelemetryBatch.PROPERTY, TelemetryBatch.class);
        try {
            states.write(batch.system, batch.changed);
            rejections.recordAll(batch.refused);
        } catch (RuntimeException e) {
            states.forget(batch.states.keySet());
            throw e;
        }
        states.remember(batch.states);
        long refusedAlarms = batch.refused.stream().filter(r -> r.sourceMessageId() != null).count();
        batch.outcomes.put(Outcome.ALARM, (int) (batch.alarms.size() - refusedAlarms));
        Map<Outcome, Counter> mine = counters.computeIfAbsent(batch.system, this::countersOf);
        batch.outcomes.forEach((outcome, n) -> mine.get(outcome).increment(n));
    }

    private Map<Outcome, Counter> countersOf(String system) {
        Map<Outcome, Counter> made = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            made.put(o, Counter.builder("weft.iot.readings").description("Telemetry readings received, by what they led to")
                    .tag("system", system).tag("outcome", o.name().toLowerCase()).register(registry));
        }
        return made;
    }

    @SuppressWarnings("unchecked")
    private static List<Message> batchOf(Message in) {
        Object body = in.getBody();
        return body instanceof List<?> list ? (List<Message>) list : List.of(in);
    }

    private static String text(Message m) {
        byte[] payload = m.getBody(byte[].class);
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }
}
