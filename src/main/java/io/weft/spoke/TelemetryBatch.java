package io.weft.spoke;

import io.weft.journal.Rejections;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch of readings led to, while its route runs: the alarm states as the batch leaves them, the alarms it
 * raises, the readings refused. Kept in exchange property {@link #PROPERTY}; the split's exchanges share it.
 */
final class TelemetryBatch {
    static final String PROPERTY = "weftTelemetryBatch";

    /** An alarm the batch raises: its reading as received, and the state of its metric before. */
    record Alarm(AlarmStates.Key key, long episode, AlarmStates.State before, String topic, String input) {
    }

    final String system;
    final String routeId;
    /** The states the batch read, updated reading by reading. */
    final Map<AlarmStates.Key, AlarmStates.State> states;
    final Map<AlarmStates.Key, AlarmStates.State> changed = new LinkedHashMap<>();
    final Map<String, Alarm> alarms = new HashMap<>();
    final Map<Telemetry.Outcome, Integer> outcomes = new EnumMap<>(Telemetry.Outcome.class);
    /** Added to from the split's threads (an alarm its mapping or schema refused). */
    final List<Rejections.Rejected> refused = Collections.synchronizedList(new ArrayList<>());

    TelemetryBatch(String system, String routeId, Map<AlarmStates.Key, AlarmStates.State> states) {
        this.system = system;
        this.routeId = routeId;
        this.states = states;
    }

    AlarmStates.State state(AlarmStates.Key key) {
        return states.getOrDefault(key, AlarmStates.State.NONE);
    }

    void change(AlarmStates.Key key, AlarmStates.State state) {
        states.put(key, state);
        changed.put(key, state);
    }

    void count(Telemetry.Outcome outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /**
     * An alarm that was refused is not raised: its metric goes back to the state before it, unless a later reading
     * of the batch changed it again.
     */
    synchronized void unraise(String alarmId) {
        Alarm alarm = alarms.get(alarmId);
        if (alarm != null && new AlarmStates.State(true, alarm.episode()).equals(states.get(alarm.key()))) {
            change(alarm.key(), alarm.before());
        }
    }
}
