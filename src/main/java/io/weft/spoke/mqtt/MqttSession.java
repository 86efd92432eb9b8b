package io.weft.spoke.mqtt;

import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Paho client of a {@link SessionMqttConsumer} and its persistent session: the callback is set before the first
 * connect, a first connection that fails is retried with backoff (Paho reconnects by itself only after one
 * succeeded), every connect subscribes asynchronously (Paho's callback thread must stay free for the messages the
 * broker may already be sending), and {@link #restart} disconnects and connects again so the broker redelivers
 * what was not acknowledged. Messages go to the {@link BatchWorker}; acknowledgements come back through
 * {@link #acknowledge}, only on the connection a message came on.
 */
final class MqttSession implements MqttCallback {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
    private static final long FIRST_RETRY_MILLIS = 1000;

    private final PahoMqtt5Configuration configuration;
    private final String topic;
    private final MqttConnectionOptions options;
    private final ScheduledExecutorService scheduler;
    private final MqttAsyncClient client;
    private final AtomicBoolean restartPending = new AtomicBoolean();
    /** Counts connections: a packet id names a message only on its connection. */
    private final AtomicLong connection = new AtomicLong();
    private volatile BatchWorker worker;
    private volatile boolean closed;
    private volatile long nextRetryMillis = FIRST_RETRY_MILLIS;

    MqttSession(PahoMqtt5Configuration configuration, String topic, MqttConnectionOptions options,
                MqttClientPersistence persistence, ScheduledExecutorService scheduler) throws MqttException {
        this.configuration = configuration;
        this.topic = topic;
        this.options = options;
        this.scheduler = scheduler;
        options.setAutomaticReconnect(true);
        client = new MqttAsyncClient(configuration.getBrokerUrl(), configuration.getClientId(), persistence);
        client.setManualAcks(true);
        client.setCallback(this);
    }

    void start(BatchWorker deliverTo) {
        worker = deliverTo;
        connect();
    }

    boolean isConnected() {
        return !closed && client.isConnected();
    }

    long connection() {
        return connection.get();
    }

    private void connect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
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
        nextRetryMillis = Math.min(delay * 2, configuration.getMaxReconnectDelay());
        LOG.warn("Cannot connect to the MQTT broker {} as {} ({}); trying again in {} ms", configuration.getBrokerUrl(),
                configuration.getClientId(), failure.getMessage(), delay);
        schedule(this::connect, delay);
    }

    private void schedule(Runnable action, long delayMillis) {
        if (!closed && !scheduler.isShutdown()) {
            scheduler.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Called by Paho on its callback thread after every successful connect, the first one and reconnects. */
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        if (closed) {
            return;
        }
        try {
            client.subscribe(topic, configuration.getQos(), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    LOG.info("Subscribed to {} on {} as {}", topic, serverUri, configuration.getClientId());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.error("Subscribing to {} on {} failed: {}", topic, serverUri, failure.getMessage());
                    restart();
                }
            });
        } catch (MqttException e) {
            LOG.error("Subscribing to {} on {} failed: {}", topic, serverUri, e.getMessage());
            restart();
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
        BatchWorker current = worker;
        if (current != null) {
            current.offer(new BatchWorker.Received(topic, message, connection.get()));
        }
    }

    /** The PUBACK, on the connection the message came on only (on a later one its packet id may be another's). */
    void acknowledge(BatchWorker.Received received) {
        if (closed || received.connection() != connection.get()) {
            return; // the broker sends it again on the new connection
        }
        try {
            client.messageArrivedComplete(received.message().getId(), received.message().getQos());
        } catch (MqttException e) {
            // The broker sends it again on the next connection; the journal drops the duplicate.
            LOG.warn("Acknowledging message {} failed: {}", received.message().getId(), e.getMessage());
        }
    }

    /**
     * Disconnects and connects again {@code maxReconnectDelay} later (once, however many messages failed
     * meanwhile): MQTT 5 redelivers what was not acknowledged only on a new connection.
     */
    void restart() {
        if (!restartPending.compareAndSet(false, true)) {
            return;
        }
        schedule(() -> {
            restartPending.set(false);
            if (closed || !client.isConnected()) {
                return; // a reconnect is under way and will redeliver
            }
            connection.incrementAndGet();
            try {
                client.disconnect(2000).waitForCompletion(10_000);
            } catch (MqttException e) {
                LOG.debug("Disconnecting for a session restart failed: {}", e.getMessage());
            }
            if (client.isConnected()) {
                restart();
                return;
            }
            connect();
        }, configuration.getMaxReconnectDelay());
    }

    /** Disconnects; leaves the subscription first when the session is clean or the subscription shared. */
    void close(boolean leaveSubscription) {
        closed = true;
        connection.incrementAndGet();
        try {
            if (client.isConnected()) {
                if (leaveSubscription) {
                    client.unsubscribe(topic).waitForCompletion(5000);
                }
                client.disconnect(2000).waitForCompletion(5000);
            }
        } catch (MqttException e) {
            LOG.debug("Disconnecting from {} failed: {}", configuration.getBrokerUrl(), e.getMessage());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("Closing the client for {} failed: {}", configuration.getBrokerUrl(), e.getMessage());
            }
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        connection.incrementAndGet();
        LOG.warn("Disconnected from the MQTT broker {}: {}", configuration.getBrokerUrl(),
                response.getException() != null ? response.getException().getMessage() : response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT error on {}: {}", configuration.getBrokerUrl(), exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // Only for publishing; this client does not publish.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication is configured.
    }
}
