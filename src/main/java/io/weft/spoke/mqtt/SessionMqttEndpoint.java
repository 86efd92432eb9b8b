package io.weft.spoke.mqtt;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** A {@code paho-mqtt5} endpoint whose consumer is {@link SessionMqttConsumer}; producing is camel-paho-mqtt5's. */
public class SessionMqttEndpoint extends PahoMqtt5Endpoint {
    private int maxBatch = 1;

    SessionMqttEndpoint(String uri, String topic, SessionMqttComponent component, PahoMqtt5Configuration configuration) {
        super(uri, topic, component, configuration);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SessionMqttConsumer consumer = new SessionMqttConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Most messages one exchange holds; above 1 the body is a {@code List<Message>} (see {@link BatchWorker}). */
    public int getMaxBatch() {
        return maxBatch;
    }

    public void setMaxBatch(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    MqttConnectionOptions connectionOptions() {
        return createMqttConnectionOptions();
    }

    MqttClientPersistence clientPersistence() {
        return createMqttClientPersistence(getConfiguration());
    }
}
