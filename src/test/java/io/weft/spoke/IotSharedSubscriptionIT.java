package io.weft.spoke;

import io.weft.testing.Metrics;
import io.weft.testing.PostgresDatabase;
import io.weft.testing.RecordingDestination;
import io.weft.testing.Sensor;
import io.weft.testing.Settle;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged instances on one PostgreSQL subscribe to the machine's Mosquitto in one MQTT 5 shared subscription
 * ({@code $share/<group>/<topic>}), as Weft scaled out subscribes: the broker splits the readings between them and
 * each alarm is journaled and delivered once. When one instance is killed with -9, what happens to its share
 * depends on its session: without a session kept for it ({@code session-expiry=0}) the broker drops the dead
 * member at once and the survivor takes every reading; with a persistent session (Weft's default) Mosquitto keeps
 * queuing the dead member's share in that session, and those readings are processed when it comes back under the
 * same client id. An instance stopped in order leaves the group, so the others take every later reading. Nothing
 * is lost or journaled twice either way. PostgreSQL only: the instances share the journal.
 */
class IotSharedSubscriptionIT {
    private static final int FIRST = 40;
    private static final int SECOND = 30;
    private static final int THIRD = 20;
    private static final String ALARMS = "weft_iot_readings_total";

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topicPrefix = "share-" + run + "/plant";
    private final String db = PostgresDatabase.create();
    private final RecordingDestination mes = RecordingDestination.start("mes", "/api/alarms", 201);

    @AfterEach
    void stopDestinations() {
        mes.close();
    }

    @Test
    void withoutSessionsTheSurvivorTakesEveryReadingAfterAKill() throws Exception {
        WeftProcess a = weft.start("iot-share-a", config("a", 0));
        WeftProcess b = weft.start("iot-share-b", config("b", 0));
        splitBetween(a, b);

        a.kill();
        double before = alarms(b);
        publish(FIRST, SECOND);
        Settle.awaitAndHold(Duration.ofSeconds(90), () -> assertEquals(FIRST + SECOND, journaled()));
        assertEquals(before + SECOND, alarms(b), "the survivor took every reading after the kill");
        assertEachAlarmOnceAtTheMes(FIRST + SECOND);
    }

    @Test
    void withPersistentSessionsAKilledInstancesShareWaitsForItsReturn() throws Exception {
        Map<String, String> configA = config("a", 300);
        WeftProcess a = weft.start("iot-share-a", configA);
        WeftProcess b = weft.start("iot-share-b", config("b", 300));
        splitBetween(a, b);

        a.kill();
        double before = alarms(b);
        publish(FIRST, SECOND);
        Settle.awaitAndHold(Duration.ofSeconds(90), () -> assertTrue(alarms(b) > before, "the survivor took readings"));
        long whileDown = journaled();
        assertTrue(whileDown < FIRST + SECOND, "Mosquitto queued the dead member's share in its session: " + whileDown);

        // Back under the same client id: its session's readings are processed, none twice.
        WeftProcess again = weft.start("iot-share-a-again", configA).awaitReady(Duration.ofSeconds(120));
        Sensor.awaitSubscribed(again);
        Settle.awaitAndHold(Duration.ofSeconds(90), () -> assertEquals(FIRST + SECOND, journaled()));
        System.out.printf("IotSharedSubscriptionIT: %d of %d readings waited for the killed instance's return%n",
                FIRST + SECOND - whileDown, SECOND);

        // An orderly stop (SIGTERM, as Kubernetes stops a pod) leaves the group: the survivor takes every later
        // reading, none waits in the stopped instance's session (whose pod may never come back under its name).
        again.stop();
        double beforeStop = alarms(b);
        publish(FIRST + SECOND, THIRD);
        Settle.awaitAndHold(Duration.ofSeconds(90), () -> assertEquals(FIRST + SECOND + THIRD, journaled()));
        assertEquals(beforeStop + THIRD, alarms(b), "the survivor took every reading after the orderly stop");
        assertEachAlarmOnceAtTheMes(FIRST + SECOND + THIRD);
    }

    /** Starts both, publishes the first readings: each instance takes a share, each alarm is journaled once. */
    private void splitBetween(WeftProcess a, WeftProcess b) throws Exception {
        for (WeftProcess instance : new WeftProcess[] {a, b}) {
            instance.awaitReady(Duration.ofSeconds(120));
            Sensor.awaitSubscribed(instance);
        }
        publish(0, FIRST);
        Settle.awaitAndHold(Duration.ofSeconds(90), () -> assertEquals(FIRST, journaled()));
        double byA = alarms(a);
        double byB = alarms(b);
        System.out.printf("IotSharedSubscriptionIT: %s raised %.0f alarms, %s %.0f%n", a.name(), byA, b.name(), byB);
        assertTrue(byA > 0 && byB > 0, "both instances took readings: " + byA + " / " + byB);
        assertEquals(FIRST, byA + byB, "each reading processed by one instance");
    }

    /** Readings past the limit on machines {@code from..from+count-1}: each raises its own alarm. */
    private void publish(int from, int count) throws Exception {
        try (Sensor sensor = Sensor.connect("tcp://127.0.0.1:1883", "sensor-share-" + run + "-" + from)) {
            for (int i = from; i < from + count; i++) {
                sensor.temperature(topicPrefix + "/L1/m" + i + "/telemetry", 95);
            }
        }
    }

    private long journaled() throws Exception {
        assertEquals(PostgresDatabase.count(db, "SELECT count(*) FROM message WHERE source_system = 'iot'"),
                PostgresDatabase.count(db, "SELECT count(DISTINCT source_message_id) FROM message WHERE source_system = 'iot'"));
        return PostgresDatabase.count(db, "SELECT count(*) FROM message WHERE source_system = 'iot'");
    }

    private static double alarms(WeftProcess instance) {
        return Metrics.series(instance, ALARMS, "outcome=\"alarm\"").orElse(0);
    }

    private void assertEachAlarmOnceAtTheMes(int alarms) {
        Settle.awaitAndHold(Duration.ofSeconds(90), () -> {
            long[] distinctAndDuplicates = io.weft.testing.FaultLedger.distinctAndDuplicates(
                    mes.received().stream().filter(RecordingDestination.Received::accepted).toList(),
                    RecordingDestination.Received::idempotencyKey);
            assertEquals(alarms, distinctAndDuplicates[0], "alarms at the MES");
            assertEquals(0, distinctAndDuplicates[1], "none twice");
        });
    }

    private Map<String, String> config(String instance, int sessionExpiry) throws Exception {
        Path wms = Files.createTempDirectory("weft-iot-share-wms-");
        Map<String, String> config = new HashMap<>(PostgresDatabase.weftConfig(db));
        config.put("weft.instance-id", "iot-share-" + instance);
        config.put("weft.systems.mes.url", mes.baseUrl());
        config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "true");
        config.put("weft.systems.iot.topic", topicPrefix + "/+/+/telemetry");
        config.put("weft.systems.iot.share-group", "weft-" + run);
        config.put("weft.systems.iot.subscription", "$share/weft-" + run + "/" + topicPrefix + "/+/+/telemetry");
        config.put("weft.systems.iot.client-id", "weft-share-" + run + "-" + instance);
        config.put("weft.systems.iot.session-expiry", String.valueOf(sessionExpiry));
        config.put("weft.systems.iot.limits.default.temperature", "90");
        config.put("weft.delivery.poll-interval", "200ms");
        return config;
    }
}
