package io.weft.spoke.mqtt;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.DefaultMessage;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs what Paho receives through the route on a thread of its own, in batches, and acknowledges each batch, in
 * the order received, only after the route completed it. Paho's callback thread only queues a message and goes
 * back to reading the socket, so the next batch arrives while this one is processed (two threads busy, not one).
 * A batch is whatever has queued up since the last one, up to {@code maxBatch}: one message when traffic is light,
 * full batches under load. With {@code maxBatch} 1 each exchange holds one message (body: the payload, headers as
 * camel-paho-mqtt5 sets them); above 1 the body is the batch, a {@code List<Message>} of such messages.
 *
 * <p>A failed exchange is not acknowledged, and neither is anything received after it on the same connection:
 * MQTT wants acknowledgements in order, and the session restart that follows makes the broker send them all again.
 * A message is acknowledged only on the connection it came on ({@link Received#connection()}).
 */
final class BatchWorker {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);

    /** A message as Paho handed it over, and the connection it came on. */
    record Received(String topic, MqttMessage message, long connection) {
    }

    private final SessionMqttConsumer consumer;
    private final MqttSession session;
    private final int maxBatch;
    private final BlockingQueue<Received> queue;
    private final Thread thread;
    private volatile boolean running = true;
    /** The last connection on which an exchange failed: what else came on it is left to the broker. */
    private volatile long failedConnection = -1;

    BatchWorker(SessionMqttConsumer consumer, MqttSession session, int maxBatch, int receiveMaximum, String name) {
        this.consumer = consumer;
        this.session = session;
        this.maxBatch = Math.max(1, maxBatch);
        // The broker sends at most receiveMaximum unacknowledged messages: they all fit, so Paho's thread never waits.
        this.queue = new ArrayBlockingQueue<>(Math.max(receiveMaximum, this.maxBatch) + 16);
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** On Paho's callback thread. Waits only if the broker sent more than the receive maximum it was given. */
    void offer(Received received) throws InterruptedException {
        while (running && !queue.offer(received, 100, TimeUnit.MILLISECONDS)) {
            LOG.debug("batch queue full; Paho's thread waits");
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }

    private void loop() {
        List<Received> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Received first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                // Not on the present connection (lost since, or after a failure): the broker sends those again.
                long now = session.connection();
                batch.removeIf(r -> r.connection() != now || r.connection() <= failedConnection);
                if (!batch.isEmpty()) {
                    process(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // One bad round must not end the loop: the batch stays unacknowledged and comes back.
                LOG.error("MQTT batch of {} failed outside the route", batch.size(), e);
                failed(batch);
            } finally {
                batch.clear();
            }
        }
    }

    private void process(List<Received> batch) {
        Exchange exchange = consumer.newExchange();
        try {
            if (maxBatch == 1) {
                fill(exchange.getIn(), batch.get(0));
            } else {
                List<Message> messages = new ArrayList<>(batch.size());
                for (Received r : batch) {
                    Message m = new DefaultMessage(exchange);
                    fill(m, r);
                    messages.add(m);
                }
                exchange.getIn().setBody(messages);
                exchange.setProperty(Exchange.BATCH_SIZE, messages.size());
            }
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() == null) {
                for (Received r : batch) {
                    session.acknowledge(r);
                }
            } else {
                LOG.warn("{} message(s) on {} were not processed and are left to the broker ({})", batch.size(),
                        batch.get(0).topic(), exchange.getException().toString());
                failed(batch);
            }
        } finally {
            consumer.release(exchange);
        }
    }

    private void failed(List<Received> batch) {
        failedConnection = Math.max(failedConnection, batch.get(batch.size() - 1).connection());
        session.restart();
    }

    private static void fill(Message m, Received r) {
        m.setBody(r.message().getPayload());
        m.setHeader(PahoMqtt5Constants.MQTT_TOPIC, r.topic());
        m.setHeader(PahoMqtt5Constants.MQTT_QOS, r.message().getQos());
        m.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, r.message().getProperties());
    }
}
