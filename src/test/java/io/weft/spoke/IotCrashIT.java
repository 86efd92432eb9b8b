package io.weft.spoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.PostgresDatabase;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftProcess;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.weft.testing.PostgresDatabase.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 while Weft works through a burst of sensor readings: every reading the broker accepted becomes its
 * alarm exactly once in the journal and reaches the MES, because Weft acknowledges a reading to the broker only
 * after the alarm was committed and the broker keeps the rest in Weft's persistent session.
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

    @Test
    void afterKillDashNineEveryAcceptedReadingBecomesItsAlarmOnce() throws Exception {
        String db = PostgresDatabase.create();
        String line = "L" + RUN;
        String topicPrefix = "crash-" + RUN + "/plant";
        Map<String, String> config = new HashMap<>(PostgresDatabase.weftConfig(db));
        config.put("weft.instance-id", "iot-crash-it");
        config.put("weft.systems.mes.url", mes.baseUrl());
        Path wms = Files.createTempDirectory("weft-iot-crash-wms-");
        config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "true");
        config.put("weft.systems.iot.topic", topicPrefix + "/+/+/telemetry");
        config.put("weft.systems.iot.client-id", "weft-crash-" + RUN);
        config.put("weft.systems.iot.session-expiry", "300");
        config.put("weft.systems.iot.limits.default.temperature", "90");
        config.put("weft.delivery.poll-interval", "200ms");

        WeftProcess first = weft.start("iot-crash-first", config).awaitReady(Duration.ofSeconds(60));
        awaitSubscribed(first);

        // Every reading is past the limit on its own machine, so each raises one alarm: <line>.<machine>.temperature.1.
        MqttClient sensor = new MqttClient("tcp://127.0.0.1:1883", "sensor-crash-" + RUN, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        sensor.connect(options);
        for (int i = 0; i < MACHINES; i++) {
            MqttMessage reading = new MqttMessage(("{\"metric\": \"temperature\", \"value\": " + (95 + i % 10) + "}")
                    .getBytes(StandardCharsets.UTF_8));
            reading.setQos(1);
            sensor.publish(topicPrefix + "/" + line + "/m" + i + "/telemetry", reading); // returns on the broker's PUBACK
        }
        sensor.disconnect();
        sensor.close();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> alarmsJournaled(db) >= 30);
        first.kill();
        long atKill = alarmsJournaled(db);
        System.out.printf("killed with %d of %d alarms journaled%n", atKill, MACHINES);
        assertTrue(atKill < MACHINES, "the kill must leave readings unprocessed; all " + atKill + " were done");

        WeftProcess second = weft.start("iot-crash-restarted", config).awaitReady(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> alarmsJournaled(db) >= MACHINES
                        && count(db, "SELECT count(*) FROM delivery WHERE status <> 'DELIVERED'") == 0);
        second.stop();

        Set<String> expected = IntStream.range(0, MACHINES).mapToObj(i -> line + ".m" + i + ".temperature.1")
                .collect(Collectors.toSet());
        assertEquals(MACHINES, alarmsJournaled(db), "one journal entry per reading");
        assertEquals(MACHINES, count(db, "SELECT count(DISTINCT source_message_id) FROM message WHERE source_system = 'iot'"));
        Set<String> atMes = new HashSet<>();
        for (RecordingDestination.Received request : mes.received()) {
            if (request.accepted()) {
                atMes.add(JSON.readTree(request.body()).path("alarmId").asText());
            }
        }
        assertEquals(expected, atMes, "every alarm reached the MES");
    }

    private static long alarmsJournaled(String db) throws Exception {
        return count(db, "SELECT count(*) FROM message WHERE source_system = 'iot' AND type = 'MachineAlarm'");
    }

    /** Subscribing is asynchronous, after the connection; the consumer logs the broker's acknowledgement. */
    private static void awaitSubscribed(WeftProcess instance) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> instance.output().contains("Subscribed to "));
    }
}
