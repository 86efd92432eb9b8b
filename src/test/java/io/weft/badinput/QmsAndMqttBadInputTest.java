package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spokes that have no caller, under generated bad input ({@link SpokeCases}): a QMS row Weft cannot take is
 * recorded at GET /api/rejections and marked 'E' (never left 'N' to fail on every poll), journaling nothing; an
 * MQTT payload that is garbage, too deep, huge, not UTF-8 or out of range is recorded once and acknowledged, and
 * the spoke goes on (a valid reading afterwards raises its alarm). The spokes' private MariaDB and Mosquitto, own database
 * and topics; nothing is stopped.
 */
@QuarkusTest
@TestProfile(BadInputSpokes.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QmsAndMqttBadInputTest {
    private static MqttClient sensor;

    static List<SpokeCases.QmsRow> qmsRows() {
        return SpokeCases.qms();
    }

    static List<SpokeCases.Mqtt> mqttCases() {
        return SpokeCases.mqtt();
    }

    @BeforeAll
    static void qmsWithWiderColumnsAndASensor() throws Exception {
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("qmsRows")
    @Order(1)
    void aQmsRowWeftCannotTakeIsRecordedAndMarkedRefused(SpokeCases.QmsRow row) throws Exception {
        long id = insert(row);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertNotEquals("N", exported(id), row + ": read and marked"));
        String status = exported(id);
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
        // Polls later: not read again, not recorded again.
        Thread.sleep(1_000);
        assertEquals(status, exported(id), row + ": stays as marked");
    }

    @Test
    @Order(2)
    void everyInspectionRowWasRead() throws Exception {
        assertEquals(0, count("SELECT COUNT(*) FROM inspection_result WHERE exported = 'N'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mqttCases")
    @Order(3)
    void aBadMqttPayloadIsRecordedOnceAndAcknowledged(SpokeCases.Mqtt c) throws Exception {
        String topic = BadInputSpokes.topic(c.line(), "m" + c.number() + "-" + CaseBook.RUN);
        MqttMessage message = new MqttMessage(c.payload());
        message.setQos(1);
        sensor.publish(topic, message);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(1, rejectionsAt(topic), c + ": recorded at GET /api/rejections"));
        Thread.sleep(1_500);
        assertEquals(1, rejectionsAt(topic), c + ": recorded once (acknowledged, not delivered again)");
        assertEquals(0, WeftHttp.get("/api/messages?type=MachineAlarm&source=iot&limit=1000").json().findValues("subject")
                .stream().filter(s -> s.asText().contains("m" + c.number() + "-" + CaseBook.RUN)).count(), c + ": no alarm journaled");
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
        Thread.sleep(1_000);
        assertEquals(1, WeftHttp.get("/api/messages?businessKey=" + alarmId).json().size(), "still one alarm");
        assertEquals(1, WeftHttp.get("/api/messages?businessKey=" + good.lot()).json().size(), "the good QMS row, once");
        HttpBadInputSuite.weftIsLiveAndAcceptsAValidOrder();
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
