package io.weft.spoke;

import io.weft.testing.Management;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.weft.testing.Destinations;
import io.weft.testing.Settle;
import io.weft.testing.Spokes;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IoT spoke against the machine's Mosquitto: readings past a limit become MachineAlarms at the MES. */
@QuarkusTest
@TestProfile(Spokes.class)
class IotSpokeTest {
    private static final AtomicLong MACHINE = new AtomicLong(System.nanoTime() % 1_000_000L);

    private MqttClient sensor;

    @BeforeEach
    void connectSensorAndMesAccepts() throws MqttException {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/alarms")).willReturn(aResponse().withStatus(201)));
        Destinations.mes().stubFor(post(urlEqualTo("/api/quality-results")).willReturn(aResponse().withStatus(201)));
        sensor = new MqttClient(Spokes.mosquitto().url(), "sensor-" + Spokes.RUN, new MemoryPersistence());
        sensor.connect(options());
        // Weft subscribes when it starts; wait until it is connected before publishing.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/systems").then()
                .body("find { it.name == 'iot' }.reachability", equalTo("UP")));
    }

    @AfterEach
    void disconnectSensor() throws MqttException {
        if (sensor.isConnected()) {
            sensor.disconnect();
        }
        sensor.close();
    }

    @Test
    void aReadingPastTheLimitRaisesOneAlarmUntilTheValueIsBackUnderIt() {
        String machine = "press-7";
        String line = "L" + MACHINE.incrementAndGet();
        double inLimitBefore = counter("in_limit");

        publish(line, machine, reading("temperature", 95.5));
        Settle.awaitAndHold(Duration.ofSeconds(20), () -> assertEquals(1, alarmsAt(line).size()));
        LoggedRequest first = alarmsAt(line).get(0);
        JsonPath alarm = JsonPath.from(first.getBodyAsString());
        assertEquals(machine, alarm.getString("equipmentId"));
        assertEquals("temperature-high", alarm.getString("alarmCode"));
        assertEquals(95.5, alarm.getDouble("actualValue"));
        assertEquals(90.0, alarm.getDouble("limitValue"));
        assertEquals(2, alarm.getInt("priority"));
        assertEquals(true, alarm.getBoolean("active"));
        assertEquals(line + "." + machine + ".temperature.1", alarm.getString("alarmId"));

        // Still past the limit: not sent again; then back in limit (counted, not journaled), then past it again.
        publish(line, machine, reading("temperature", 97));
        publish(line, machine, reading("temperature", 80));
        publish(line, machine, reading("temperature", 81));
        publish(line, machine, reading("temperature", 99));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(2, alarmsAt(line).size()));
        assertEquals(line + "." + machine + ".temperature.2",
                JsonPath.from(alarmsAt(line).get(1).getBodyAsString()).getString("alarmId"));
        given().queryParam("source", "iot").queryParam("type", "MachineAlarm").get("/api/messages?limit=1000").then()
                .body("findAll { it.subject.startsWith('" + line + ".') }", hasSize(2));
        assertTrue(counter("in_limit") >= inLimitBefore + 1, "the in-limit reading is counted");
        assertTrue(counter("suppressed") >= 1, "the repeated alarm is counted as suppressed");
        assertTrue(counter("cleared") >= 1, "the reading back in limit cleared the alarm");
    }

    @Test
    void aPayloadThatIsNotJsonIsReportedAndTheNextReadingFlows() {
        String line = "L" + MACHINE.incrementAndGet();
        publishRaw(Spokes.topic(line, "press-7"), "temperature=99.1;unit=CEL");
        publish(line, "press-7", reading("temperature", 99.1));

        Settle.awaitAndHold(Duration.ofSeconds(20), () -> assertEquals(1, alarmsAt(line).size()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().queryParam("source", "iot").get("/api/rejections").then().statusCode(200)
                        .body("findAll { it.origin == '" + Spokes.topic(line, "press-7") + "' }", hasSize(1))
                        .body("find { it.origin == '" + Spokes.topic(line, "press-7") + "' }.reason", equalTo("malformed"))
                        .body("find { it.origin == '" + Spokes.topic(line, "press-7") + "' }.problem", containsString("not JSON"))
                        .body("find { it.origin == '" + Spokes.topic(line, "press-7") + "' }.input",
                                equalTo("temperature=99.1;unit=CEL")));
        Management.given().get("/q/metrics").then().body(containsString("weft_inbound_rejected_total{reason=\"malformed\",system=\"iot\"}"));
    }

    @Test
    void inABatchWithABadReadingTheOthersAreCommittedAndTheBadOneIsRecordedOnce() throws Exception {
        String line = "L" + MACHINE.incrementAndGet();
        double inLimitBefore = counter("in_limit");
        // Published back to back, so that they reach Weft's batch worker together.
        for (int i = 0; i < 30; i++) {
            if (i == 13) {
                publishRaw(Spokes.topic(line, "m-bad"), "{\"metric\": \"temperature\"}");
            } else if (i % 3 == 0) {
                publish(line, "m" + i, reading("temperature", 95));
            } else {
                publish(line, "m" + i, reading("temperature", 70));
            }
        }
        Settle.awaitAndHold(Duration.ofSeconds(20), () -> {
            given().queryParam("source", "iot").get("/api/messages?limit=1000").then()
                    .body("findAll { it.subject.startsWith('" + line + ".') }", hasSize(10));
            given().queryParam("source", "iot").get("/api/rejections").then()
                    .body("findAll { it.origin == '" + Spokes.topic(line, "m-bad") + "' }", hasSize(1))
                    .body("find { it.origin == '" + Spokes.topic(line, "m-bad") + "' }.problem",
                            containsString("no numeric \"value\""));
        });
        assertTrue(counter("in_limit") >= inLimitBefore + 19, "the readings in limit are counted");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(10, alarmsAt(line).size()));
    }

    @Test
    void aBrokerRestartDuringTrafficLosesNoAlarmAndJournalsEachOnce() throws Exception {
        String line = "L" + MACHINE.incrementAndGet();
        List<String> machines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            machines.add("m" + i);
        }
        for (int i = 0; i < 8; i++) {
            publish(line, machines.get(i), reading("temperature", 100 + i));
        }
        Spokes.mosquitto().restart(Duration.ofSeconds(1));
        // The sensors go on at once, before Weft has reconnected: the broker queues their readings in Weft's
        // persistent session, and what Weft had not acknowledged before the restart is redelivered.
        for (int i = 8; i < machines.size(); i++) {
            publish(line, machines.get(i), reading("temperature", 100 + i));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().queryParam("source", "iot").get("/api/messages?limit=1000").then()
                        .body("findAll { it.subject.startsWith('" + line + ".') }", hasSize(machines.size())));
        for (String machine : machines) {
            given().queryParam("businessKey", line + "." + machine + ".temperature.1").get("/api/messages").then()
                    .body("", hasSize(1));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(machines.size(), alarmsAt(line).size()));
    }

    private static String reading(String metric, double value) {
        return "{\"metric\": \"%s\", \"value\": %s, \"unit\": \"CEL\", \"ts\": \"2026-12-01T08:00:00Z\"}".formatted(metric, value);
    }

    private void publish(String line, String machine, String json) {
        publishRaw(Spokes.topic(line, machine), json);
    }

    /** Publishes with QoS 1 and waits for the broker's acknowledgement, retrying while the broker is away. */
    private void publishRaw(String topic, String payload) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (!sensor.isConnected()) {
                sensor.connect(options());
            }
            sensor.publish(topic, message);
            return true;
        });
    }

    private static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(2);
        return options;
    }

    private static List<LoggedRequest> alarmsAt(String line) {
        return Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/alarms"))
                .withRequestBody(matchingJsonPath("$.line", WireMock.equalTo(line))));
    }

    private static double counter(String outcome) {
        String metrics = Management.given().get("/q/metrics").then().extract().asString();
        Matcher m = Pattern.compile("weft_iot_readings_total\\{outcome=\"" + outcome + "\",system=\"iot\"} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
