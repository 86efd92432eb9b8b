package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.testing.QmsDatabase;
import io.weft.testing.Spokes;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spokes that have no caller, under generated bad input ({@link SpokeCases}): a QMS row Weft cannot take is
 * recorded at GET /api/rejections and marked 'E' (never left 'N' to fail on every poll), journaling nothing; an
 * MQTT payload that is garbage, too deep, huge, not UTF-8 or out of range is recorded once and acknowledged, and
 * the spoke goes on (a valid reading afterwards raises its alarm). The spokes' private MariaDB and Mosquitto, own
 * database and topics; nothing is stopped. Run on each store ({@link QmsAndMqttBadInputOnPostgresTest},
 * {@link QmsAndMqttBadInputOnH2Test}).
 *
 * <p>Every row and payload is sent at once, then each case is checked on its own: after all were taken, the suite
 * holds once for several polls, so a row read twice or a payload delivered again would show in its case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class QmsAndMqttBadInput {
    /** Longer than several QMS polls (300 ms) and than a redelivery of an unacknowledged MQTT message. */
    private static final Duration HOLD = Duration.ofMillis(2_500);
    private static MqttClient sensor;
    private static final Map<SpokeCases.QmsRow, Long> rowIds = new HashMap<>();
    private static final Map<Long, String> firstStatus = new HashMap<>();

    static List<SpokeCases.QmsRow> qmsRows() {
        return SpokeCases.qms();
    }

    static List<SpokeCases.Mqtt> mqttCases() {
        return SpokeCases.mqtt();
    }

    @BeforeAll
    static void qmsWithWiderColumnsAndASensor() throws Exception {
        rowIds.clear();
        firstStatus.clear();
        // A plant's QMS may well hold longer values than Weft's journal: widen the lot column of this run's database.
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl()); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE inspection_result MODIFY lot_no VARCHAR(2000)");
        }
        // The spokes' own Mosquitto (Spokes.PrivateServers), where Weft subscribes.
        sensor = new MqttClient(Spokes.mosquitto().url(), "bi-sensor-" + CaseBook.RUN, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        sensor.connect(options);
    }

    @AfterAll
    static void disconnect() throws MqttException {
        if (sensor.isConnected()) {
            sensor.disconnect();
        }
        sensor.close();
    }

    @Test
    @Order(0)
    void everyRowAndPayloadIsTakenOnce() throws Exception {
        for (SpokeCases.QmsRow row : qmsRows()) {
            rowIds.put(row, insert(row));
        }
        for (SpokeCases.Mqtt c : mqttCases()) {
            MqttMessage message = new MqttMessage(c.payload());
            message.setQos(1);
            sensor.publish(topic(c), message);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (var row : rowIds.entrySet()) {
                String status = exported(row.getValue());
                assertNotEquals("N", status, row.getKey() + ": read and marked");
                firstStatus.putIfAbsent(row.getValue(), status);
            }
            for (SpokeCases.Mqtt c : mqttCases()) {
                assertEquals(1, rejectionsAt(topic(c)), c + ": recorded at GET /api/rejections");
            }
        });
        // Polls later: a row is not read again, a payload not delivered again (checked per case below).
        Thread.sleep(HOLD.toMillis());
        assertEquals(0, count("SELECT COUNT(*) FROM inspection_result WHERE exported = 'N'"), "every row was read");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qmsRows")
    @Order(1)
    void aQmsRowWeftCannotTakeIsRecordedAndMarkedRefused(SpokeCases.QmsRow row) throws Exception {
        long id = rowIds.get(row);
        String status = exported(id);
        assertEquals(firstStatus.get(id), status, row + ": stays as marked");
        if (row.mustRefuse()) {
            assertEquals("E", status, row + ": refused");
        }
        JsonNode rejections = WeftHttp.get("/api/rejections?source=qms&limit=1000").json();
        long recorded = 0;
        for (JsonNode r : rejections) {
            recorded += ("inspection-" + id).equals(r.path("sourceMessageId").asText()) ? 1 : 0;
        }
        assertEquals("E".equals(status) ? 1 : 0, recorded, row + ": recorded once when refused");
        if (row.lot() != null && row.lot().length() <= 64 && row.lot().chars().allMatch(ch -> ch >= 32)) {
            assertEquals("Y".equals(status) ? 1 : 0, WeftHttp.get("/api/messages?businessKey="
                    + URLEncoder.encode(row.lot(), StandardCharsets.UTF_8)).json().size(), row + ": journaled only if published");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mqttCases")
    @Order(3)
    void aBadMqttPayloadIsRecordedOnceAndAcknowledged(SpokeCases.Mqtt c) {
        assertEquals(1, rejectionsAt(topic(c)), c + ": recorded once (acknowledged, not delivered again)");
        assertEquals(0, WeftHttp.get("/api/messages?type=MachineAlarm&source=iot&limit=1000").json().findValues("subject")
                .stream().filter(s -> s.asText().contains(machine(c))).count(), c + ": no alarm journaled");
    }

    @Test
    @Order(4)
    void theSpokesGoOnAfterwards() throws Exception {
        String machine = "press-7";
        String line = "after" + CaseBook.RUN;
        MqttMessage reading = new MqttMessage("{\"metric\": \"temperature\", \"value\": 99.5}".getBytes(StandardCharsets.UTF_8));
        reading.setQos(1);
        sensor.publish(BadInputSpokes.topic(line, machine), reading);
        String alarmId = line + "." + machine + ".temperature.1";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(1, WeftHttp.get("/api/messages?businessKey=" + alarmId).json().size(), "the alarm of a valid reading"));
        SpokeCases.QmsRow good = new SpokeCases.QmsRow(99, "good", "QA-" + CaseBook.RUN, "P1", "A", "MMT", false);
        long id = insert(good);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals("Y", exported(id)));
        Thread.sleep(HOLD.toMillis());
        assertEquals(1, WeftHttp.get("/api/messages?businessKey=" + alarmId).json().size(), "still one alarm");
        assertEquals(1, WeftHttp.get("/api/messages?businessKey=" + good.lot()).json().size(), "the good QMS row, once");
        HttpBadInputSuite.weftIsLiveAndAcceptsAValidOrder();
    }

    private static String machine(SpokeCases.Mqtt c) {
        return "m" + c.number() + "-" + CaseBook.RUN;
    }

    private static String topic(SpokeCases.Mqtt c) {
        return BadInputSpokes.topic(c.line(), machine(c));
    }

    private static int rejectionsAt(String topic) {
        JsonNode found = WeftHttp.get("/api/rejections?source=iot&limit=1000&origin=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)).json();
        return found.size();
    }

    private static long insert(SpokeCases.QmsRow row) throws SQLException {
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl());
             PreparedStatement s = c.prepareStatement("INSERT INTO inspection_result (lot_no, plant, material_no, order_no, "
                     + "batch_no, decision, characteristic, measured_value, unit, lower_limit, upper_limit, inspected_at) "
                     + "VALUES (?, ?, 'MAT-4711', '1000123', 'L-1', ?, 'diameter', 12.02, ?, 11.95, 12.05, "
                     + "'2026-12-02 15:10:00')", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, row.lot());
            s.setString(2, row.plant());
            s.setString(3, row.decision());
            s.setString(4, row.unit());
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertTrue(keys.next());
                return keys.getLong(1);
            }
        }
    }

    private static String exported(long id) throws SQLException {
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl());
             PreparedStatement s = c.prepareStatement("SELECT exported FROM inspection_result WHERE inspection_id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl()); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
