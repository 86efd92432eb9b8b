package io.weft.spoke;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.PrivateMosquitto;
import io.weft.testing.TestPki;
import io.weft.testing.TestStores;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The IoT spoke over TLS, against a Mosquitto of the test's own with a TLS listener only and a certificate of
 * the plant CA the test makes: with the CA as weft.systems.iot.tls.ca, Weft connects over ssl:// and a reading
 * past its limit reaches the MES as an alarm; when the broker comes back with a certificate of another CA, Weft
 * does not connect, and /api/systems shows the IoT system not UP.
 */
@QuarkusTest
@TestProfile(IotOverTlsTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IotOverTlsTest {
    private static final String RUN = "tls" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static TestPki pki;
    private static PrivateMosquitto broker;

    public static class Broker implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                pki = new TestPki(Files.createTempDirectory("weft-mqtt-tls-")).ca("plant-ca").ca("rogue-ca")
                        .certificate("broker", "localhost", "plant-ca").certificate("impostor", "localhost", "rogue-ca");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = new PrivateMosquitto(pki.file("broker.crt"), pki.file("broker.key"));
            broker.start();
            return Map.of("weft.systems.iot.broker-url", broker.url(),
                    "weft.systems.iot.tls.ca", pki.file("plant-ca.crt").toString());
        }

        @Override
        public void stop() {
            broker.close();
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.h2());
            config.put("weft.systems.iot.inbound.enabled", "true");
            config.put("weft.systems.iot.topic", RUN + "/+/+/telemetry");
            config.put("weft.systems.iot.share-group", "weft-" + RUN);
            config.put("weft.systems.iot.client-id", "weft-" + RUN);
            config.put("weft.systems.iot.session-expiry", "60");
            config.put("weft.health.probe-interval", "1s");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class), new TestResourceEntry(Broker.class));
        }
    }

    private static void awaitIot(org.hamcrest.Matcher<Object> reachability) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/systems").then()
                .body("find { it.name == 'iot' }.reachability", reachability));
    }

    @Test
    @Order(1)
    void readingsArriveOverTls() throws Exception {
        Destinations.mes().stubFor(post(urlEqualTo("/api/alarms")).willReturn(aResponse().withStatus(201)));
        awaitIot(equalTo("UP"));
        MqttClient sensor = new MqttClient(broker.url(), "sensor-" + RUN, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(pki.context(null, "plant-ca").getSocketFactory());
        sensor.connect(options);
        MqttMessage reading = new MqttMessage(("{\"metric\": \"temperature\", \"value\": 99.5, \"unit\": \"CEL\", "
                + "\"ts\": \"2026-12-01T08:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
        reading.setQos(1);
        sensor.publish(RUN + "/L1/press-7/telemetry", reading);
        sensor.disconnect();
        sensor.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Destinations.mes().findAll(postRequestedFor(
                urlEqualTo("/api/alarms")).withRequestBody(matchingJsonPath("$.line", WireMock.equalTo("L1")))).isEmpty());
    }

    @Test
    @Order(2)
    void aBrokerWithACertificateWeftDoesNotTrustIsNotConnectedTo() throws Exception {
        broker.stop();
        broker.useCertificate(pki.file("impostor.crt"), pki.file("impostor.key"));
        broker.start();
        awaitIot(not(equalTo("UP")));
        // It stays so: Weft's reconnects keep refusing the certificate...
        for (int second = 0; second < 8; second++) {
            Thread.sleep(1000);
            given().get("/api/systems").then().body("find { it.name == 'iot' }.reachability", not(equalTo("UP")));
        }
        // ...until the broker presents the plant CA's certificate again: the reconnects were going on all along.
        broker.stop();
        broker.useCertificate(pki.file("broker.crt"), pki.file("broker.key"));
        broker.start();
        awaitIot(equalTo("UP"));
    }
}
