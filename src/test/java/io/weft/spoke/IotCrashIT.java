package io.weft.spoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.ProcessStore;
import io.weft.testing.RecordingDestination;
import io.weft.testing.Sensor;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 while Weft works through a burst of sensor readings: every reading the broker accepted becomes its
 * alarm exactly once in the journal and reaches the MES exactly once, because Weft acknowledges a reading to the
 * broker only after the alarm was committed (on stable storage) and the broker keeps the rest in Weft's persistent
 * session. On each store. The MES is down until the restart, so every alarm is delivered by the restarted
 * instance: a second request for one would be a duplicate, not the unavoidable re-send of a crash mid-request.
 */
class IotCrashIT {
    private static final int MACHINES = 600;
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination mes = RecordingDestination.start("mes", "/api/alarms", 201);

    @AfterEach
    void stopDestinations() {
        mes.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessStore.Kind.class)
    void afterKillDashNineEveryAcceptedReadingBecomesItsAlarmOnce(ProcessStore.Kind kind) throws Exception {
        ProcessStore db = kind.create();
        String run = RUN + kind.name().toLowerCase();
        String line = "L" + run;
        String topicPrefix = "crash-" + run + "/plant";
        Map<String, String> config = new HashMap<>(db.weftConfig());
        config.put("weft.instance-id", "iot-crash-it");
        config.put("weft.systems.mes.url", mes.baseUrl());
        Path wms = Files.createTempDirectory("weft-iot-crash-wms-");
        config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "true");
        config.put("weft.systems.iot.topic", topicPrefix + "/+/+/telemetry");
        config.put("weft.systems.iot.client-id", "weft-crash-" + run);
        config.put("weft.systems.iot.session-expiry", "300");
        config.put("weft.systems.iot.limits.default.temperature", "90");
        config.put("weft.delivery.poll-interval", "200ms");
        config.put("weft.delivery.max-backoff", "1s");
        config.put("weft.delivery.max-attempts", "1000");
        mes.goDown();

        WeftProcess first = weft.start("iot-crash-first", config).awaitReady(Duration.ofSeconds(60));
        Sensor.awaitSubscribed(first);

        // Every reading is past the limit on its own machine, so each raises one alarm: <line>.<machine>.temperature.1.
        try (Sensor sensor = Sensor.connect("tcp://127.0.0.1:1883", "sensor-crash-" + run)) {
            for (int i = 0; i < MACHINES; i++) {
                sensor.temperature(topicPrefix + "/" + line + "/m" + i + "/telemetry", 95 + i % 10);
            }
        }

        // Through the operations API: the embedded store is the running process's own file.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> WeftApi.get(first, "/api/messages?type=MachineAlarm&limit=50").size() >= 30);
        first.kill();
        db.awaitReleasedByKilledInstance();
        long atKill = alarmsJournaled(db);
        System.out.printf("killed with %d of %d alarms journaled%n", atKill, MACHINES);
        assertTrue(atKill < MACHINES, "the kill must leave readings unprocessed; all " + atKill + " were done");

        mes.comeBack();
        WeftProcess second = weft.start("iot-crash-restarted", config).awaitReady(Duration.ofSeconds(60));
        Set<String> expected = IntStream.range(0, MACHINES).mapToObj(i -> line + ".m" + i + ".temperature.1")
                .collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> alarmsAtMes().keySet().containsAll(expected) && WeftApi.unfinished(second, "mes") == 0);
        assertEquals(expected, alarmsAtMes().keySet(), "every alarm reached the MES, and nothing else");
        // A poll interval, a retry backoff and more later: still one request per alarm.
        Thread.sleep(3_000);
        Map<String, Long> atMes = alarmsAtMes();
        Map<String, Long> notOnce = alarmsAtMes().entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), notOnce, "alarms the MES received other than once");
        second.stop();

        // Read after the stop: the embedded store's file is the running process's own.
        io.weft.testing.FaultLedger.record("kill -9 during a burst of " + MACHINES + " MQTT readings past the limit",
                kind.toString(), MACHINES, alarmsJournaled(db), atMes.size(),
                atMes.values().stream().mapToLong(n -> n - 1).sum(),
                "acknowledged = readings the broker accepted (QoS 1); confirmed = distinct alarms at the MES");
        assertEquals(MACHINES, alarmsJournaled(db), "one journal entry per reading");
        assertEquals(MACHINES, db.count("SELECT count(DISTINCT source_message_id) FROM message WHERE source_system = 'iot'"));
        assertEquals(MACHINES, db.count("SELECT count(*) FROM delivery WHERE destination = 'mes' AND status = 'DELIVERED'"));
    }

    /** Requests the MES received, per alarm id, whatever it answered. */
    private Map<String, Long> alarmsAtMes() {
        return mes.received().stream().collect(Collectors.groupingBy(r -> {
            try {
                return JSON.readTree(r.body()).path("alarmId").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + r.body(), e);
            }
        }, Collectors.counting()));
    }

    private static long alarmsJournaled(ProcessStore db) {
        return db.count("SELECT count(*) FROM message WHERE source_system = 'iot' AND type = 'MachineAlarm'");
    }
}
