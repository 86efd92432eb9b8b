package io.weft.spoke.mqtt;

import io.weft.observe.BrokerSession;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.support.DefaultConsumer;

import java.util.concurrent.ScheduledExecutorService;

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
 *   <li>fails to start when the broker is down, leaves a failed message unacknowledged until the connection
 *       happens to drop (MQTT 5 redelivers only on a new connection), and runs the route on Paho's callback
 *       thread, one message at a time.</li>
 * </ul>
 * Here {@link MqttSession} holds the client and its session (callback before connecting, asynchronous subscribe,
 * retried first connection, a session restart after a failure so that the broker sends the message again) and
 * {@link BatchWorker} runs the route on a thread of its own, in batches of up to {@code maxBatch}, acknowledging
 * each batch in order after the route completed it.
 */
public class SessionMqttConsumer extends DefaultConsumer implements BrokerSession {
    private volatile MqttSession session;
    private volatile BatchWorker worker;
    private volatile ScheduledExecutorService scheduler;

    SessionMqttConsumer(SessionMqttEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SessionMqttEndpoint getEndpoint() {
        return (SessionMqttEndpoint) super.getEndpoint();
    }

    /** Whether the client is connected to the broker now (for the readiness check). */
    public boolean isConnected() {
        MqttSession current = session;
        return current != null && current.isConnected();
    }

    public String brokerUrl() {
        return configuration().getBrokerUrl();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        PahoMqtt5Configuration configuration = configuration();
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "weft-mqtt5-session");
        session = new MqttSession(configuration, getEndpoint().getTopic(), getEndpoint().connectionOptions(),
                getEndpoint().clientPersistence(), scheduler);
        worker = new BatchWorker(this, session, getEndpoint().getMaxBatch(), configuration.getReceiveMaximum(),
                "weft-mqtt5-batches-" + configuration.getClientId());
        session.start(worker);
    }

    @Override
    protected void doStop() throws Exception {
        if (worker != null) {
            worker.stop();
            worker = null;
        }
        if (session != null) {
            // A persistent session keeps its subscription while away, and in a shared subscription the broker goes
            // on routing a share of the messages to it (Mosquitto 2.0): an instance that stops in order leaves the
            // group, so the others take every message until it subscribes again.
            session.close(configuration().isCleanStart() || isShared());
            session = null;
        }
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        super.doStop();
    }

    /** An MQTT 5 shared subscription ({@code $share/<group>/<filter>}). */
    boolean isShared() {
        return getEndpoint().getTopic().startsWith("$share/");
    }

    Exchange newExchange() {
        return createExchange(false);
    }

    void release(Exchange exchange) {
        releaseExchange(exchange, false);
    }

    private PahoMqtt5Configuration configuration() {
        return getEndpoint().getConfiguration();
    }
}
