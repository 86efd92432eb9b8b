package io.weft.spoke.mqtt;

import io.weft.observe.BrokerSession;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An MQTT 5 subscription in a persistent session whose messages are acknowledged only after the route completed
 * them. Written for Weft instead of using camel-paho-mqtt5's consumer, which
 * <ul>
 *   <li>subscribes again after a reconnect with a blocking call on Paho's callback thread: when the broker sends
 *       the session's queued messages first and they fill Paho's inbound queue (10), the SUBACK is never read and
 *       the client hangs connected but silent (Paho issue eclipse-paho/paho.mqtt.java#999, seen here in
 *       IotSpokeTest after a broker restart);</li>
 *   <li>connects before it sets its callback, so messages the broker sends right after the CONNACK (readings
 *       queued while Weft was down) are dropped by Paho without an acknowledgement and stay in flight until some
 *       later reconnect;</li>
 *   <li>fails to start when the broker is down, and leaves a failed message unacknowledged until the connection
 *       happens to drop (MQTT 5 redelivers only on a new connection).</li>
 * </ul>
 * Here the callback is set before connecting, subscribing is asynchronous, a first connection that fails is
 * retried with backoff (the route starts anyway and the readiness check reports the broker), and after a message
 * failed the session is restarted (after {@code maxReconnectDelay}) so that the broker sends it again.
 * The route runs synchronously on Paho's callback thread, so messages are processed one at a time in order.
 */
public class SessionMqttConsumer extends DefaultConsumer implements MqttCallback, BrokerSession {
    private static final Logger LOG = LoggerFactory.getLogger(SessionMqttConsumer.class);
    private static final long FIRST_RETRY_MILLIS = 1000;

    private final AtomicBoolean restartPending = new AtomicBoolean();
    private volatile MqttAsyncClient client;
    private volatile MqttConnectionOptions options;
    private volatile ScheduledExecutorService scheduler;
    private volatile long nextRetryMillis = FIRST_RETRY_MILLIS;

    SessionMqttConsumer(SessionMqttEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SessionMqttEndpoint getEndpoint() {
        return (SessionMqttEndpoint) super.getEndpoint();
    }

    /** Whether the client is connected to the broker now (for the readiness check). */
    public boolean isConnected() {
        MqttAsyncClient current = client;
        return current != null && current.isConnected();
    }

    public String brokerUrl() {
        return configuration().getBrokerUrl();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        PahoMqtt5Configuration configuration = configuration();
        options = getEndpoint().connectionOptions();
        // Paho reconnects by itself only after a first connection succeeded; before that, connect() retries.
        options.setAutomaticReconnect(true);
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "weft-mqtt5-session");
        client = new MqttAsyncClient(configuration.getBrokerUrl(), configuration.getClientId(),
                getEndpoint().clientPersistence());
        client.setManualAcks(true);
        client.setCallback(this);
        nextRetryMillis = FIRST_RETRY_MILLIS;
        connect();
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        MqttAsyncClient stopping = client;
        client = null;
        if (stopping != null) {
            try {
                if (stopping.isConnected()) {
                    // A persistent session keeps its subscription while away, and in a shared subscription the
                    // broker goes on routing a share of the messages to it (Mosquitto 2.0): an instance that stops
                    // in order leaves the group, so the others take every message until it subscribes again.
                    if (configuration().isCleanStart() || isShared()) {
                        stopping.unsubscribe(getEndpoint().getTopic()).waitForCompletion(5000);
                    }
                    stopping.disconnect(2000).waitForCompletion(5000);
                }
            } catch (MqttException e) {
                LOG.debug("Disconnecting from {} failed: {}", brokerUrl(), e.getMessage());
            } finally {
                stopping.close(true);
            }
        }
        super.doStop();
    }

    /** An MQTT 5 shared subscription ({@code $share/<group>/<filter>}). */
    boolean isShared() {
        return getEndpoint().getTopic().startsWith("$share/");
    }

    private void connect() {
        MqttAsyncClient current = client;
        if (current == null || current.isConnected()) {
            return;
        }
        try {
            current.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    nextRetryMillis = FIRST_RETRY_MILLIS;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    retryConnect(failure);
                }
            });
        } catch (MqttException e) {
            retryConnect(e);
        }
    }

    private void retryConnect(Throwable failure) {
        long delay = nextRetryMillis;
        nextRetryMillis = Math.min(delay * 2, configuration().getMaxReconnectDelay());
        LOG.warn("Cannot connect to the MQTT broker {} as {} ({}); trying again in {} ms", brokerUrl(),
                configuration().getClientId(), failure.getMessage(), delay);
        schedule(this::connect, delay);
    }

    private void schedule(Runnable action, long delayMillis) {
        ScheduledExecutorService current = scheduler;
        if (current != null && !current.isShutdown()) {
            current.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Called by Paho on its callback thread after every successful connect, the first one and reconnects. */
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        MqttAsyncClient current = client;
        if (current == null) {
            return;
        }
        // Asynchronous: this thread must stay free to take the messages the broker may already be sending.
        try {
            current.subscribe(getEndpoint().getTopic(), configuration().getQos(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    LOG.info("Subscribed to {} on {} as {}", getEndpoint().getTopic(), serverUri,
                            configuration().getClientId());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.error("Subscribing to {} on {} failed: {}", getEndpoint().getTopic(), serverUri,
                            failure.getMessage());
                    scheduleSessionRestart();
                }
            });
        } catch (MqttException e) {
            LOG.error("Subscribing to {} on {} failed: {}", getEndpoint().getTopic(), serverUri, e.getMessage());
            scheduleSessionRestart();
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage mqttMessage) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(mqttMessage.getPayload());
            in.setHeader(PahoMqtt5Constants.MQTT_TOPIC, topic);
            in.setHeader(PahoMqtt5Constants.MQTT_QOS, mqttMessage.getQos());
            in.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, mqttMessage.getProperties());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() == null) {
                acknowledge(mqttMessage);
            } else {
                // Not acknowledged: the broker keeps it in the session and sends it again on the next connection.
                LOG.warn("A message on {} was not processed and is left to the broker ({}); the session restarts in {} ms",
                        topic, exchange.getException().toString(), configuration().getMaxReconnectDelay());
                scheduleSessionRestart();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void acknowledge(MqttMessage mqttMessage) {
        MqttAsyncClient current = client;
        if (current == null) {
            return;
        }
        try {
            current.messageArrivedComplete(mqttMessage.getId(), mqttMessage.getQos());
        } catch (MqttException e) {
            // The broker sends it again on the next connection; the journal drops the duplicate.
            LOG.warn("Acknowledging message {} failed: {}", mqttMessage.getId(), e.getMessage());
        }
    }

    /** Disconnects and connects again (once, however many messages failed meanwhile), so the broker redelivers. */
    private void scheduleSessionRestart() {
        if (!restartPending.compareAndSet(false, true)) {
            return;
        }
        schedule(() -> {
            restartPending.set(false);
            MqttAsyncClient current = client;
            if (current == null || !current.isConnected()) {
                return; // a reconnect is under way and will redeliver
            }
            try {
                // Waits for the message in progress; a route stuck longer than this gets another try later.
                current.disconnect(2000).waitForCompletion(10_000);
            } catch (MqttException e) {
                LOG.debug("Disconnecting for a session restart failed: {}", e.getMessage());
            }
            if (current.isConnected()) {
                scheduleSessionRestart();
                return;
            }
            connect();
        }, configuration().getMaxReconnectDelay());
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        LOG.warn("Disconnected from the MQTT broker {}: {}", brokerUrl(),
                response.getException() != null ? response.getException().getMessage() : response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT error on {}: {}", brokerUrl(), exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // Only for publishing; this client does not publish.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication is configured.
    }

    private PahoMqtt5Configuration configuration() {
        return getEndpoint().getConfiguration();
    }
}
