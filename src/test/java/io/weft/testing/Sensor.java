package io.weft.testing;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** A machine sensor publishing readings to a real broker with QoS 1, each publish returning on the broker's PUBACK. */
public final class Sensor implements AutoCloseable {
    private final MqttClient client;

    private Sensor(MqttClient client) {
        this.client = client;
    }

    public static Sensor connect(String brokerUrl, String clientId) throws MqttException {
        MqttClient client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        return new Sensor(client);
    }

    /** A temperature reading ({@code {"metric": "temperature", "value": ...}}) on {@code topic}. */
    public void temperature(String topic, double value) throws Exception {
        MqttMessage reading = new MqttMessage(("{\"metric\": \"temperature\", \"value\": " + value + "}")
                .getBytes(StandardCharsets.UTF_8));
        reading.setQos(1);
        publish(topic, reading);
    }

    /**
     * Publishes and returns on the broker's PUBACK. Paho's client refuses a publish while its in-flight window
     * (the broker's receive maximum) is still full ("Too many publishes in progress"): wait briefly and send again.
     */
    public void publish(String topic, MqttMessage message) throws Exception {
        for (int tries = 0; ; tries++) {
            try {
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || tries >= 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Subscribing is asynchronous, after the connection; Weft's consumer logs the broker's acknowledgement. */
    public static void awaitSubscribed(WeftProcess instance) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> instance.output().contains("Subscribed to "));
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
