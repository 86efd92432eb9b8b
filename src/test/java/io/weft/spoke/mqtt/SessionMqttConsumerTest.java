package io.weft.spoke.mqtt;

import io.weft.testing.PrivateMosquitto;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code weft-mqtt5} consumer in a plain Camel context against the machine's Mosquitto (persistence on): a
 * persistent session that loses nothing across a stopped route, a broker restart with more queued messages than
 * Paho buffers, a failed message, a broker that is down when the route starts, and two instances splitting a
 * shared subscription.
 */
class SessionMqttConsumerTest {
    /** A broker of this test's own: the tests stop and start it (never the machine's shared one). */
    @RegisterExtension
    static final PrivateMosquitto MOSQUITTO = new PrivateMosquitto();
    private static final String BROKER = MOSQUITTO.url();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final AtomicInteger CASE = new AtomicInteger();

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> receivedBy = new ConcurrentHashMap<>();
    private String name;
    private String topic;
    private CamelContext camel;
    private MqttClient sensor;

    @BeforeEach
    void newTopicAndContext() throws Exception {
        name = "weft-test-" + RUN + "-" + CASE.incrementAndGet();
        topic = "test/" + name + "/telemetry";
        camel = new DefaultCamelContext();
        camel.addComponent(SessionMqttComponent.SCHEME, new SessionMqttComponent());
        addSubscriber("subscriber", topic, name);
        camel.start();
        sensor = new MqttClient(BROKER, "sensor-" + name, new MemoryPersistence());
    }

    /** A route (not started) that records each message it gets and fails those in {@link #failOnce} once. */
    private void addSubscriber(String routeId, String subscription, String clientId) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(SessionMqttComponent.SCHEME + ":" + subscription + "?brokerUrl=" + BROKER + "&clientId=" + clientId
                        + "&qos=1&cleanStart=false&sessionExpiryInterval=120&maxReconnectDelay=1000")
                        .routeId(routeId).autoStartup(false)
                        .process(exchange -> {
                            String payload = exchange.getIn().getBody(String.class);
                            attempts.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
                            receivedBy.computeIfAbsent(routeId, r -> ConcurrentHashMap.newKeySet()).add(payload);
                            if (failOnce.remove(payload)) {
                                throw new IllegalStateException("the store is away (test)");
                            }
                        });
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        if (sensor.isConnected()) {
            sensor.disconnect();
        }
        sensor.close();
    }

    @Test
    void messagesPublishedWhileTheRouteWasStoppedArriveWhenItStarts() throws Exception {
        startAndAwaitConnected();
        camel.getRouteController().stopRoute("subscriber");

        publish(range(0, 30));
        camel.getRouteController().startRoute("subscriber");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(range(0, 30), received()));
    }

    @Test
    void aBrokerRestartWithMoreQueuedThanPahoBuffersLeavesTheSubscriptionWorking() throws Exception {
        startAndAwaitConnected();
        publish(range(0, 5));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(range(0, 5), received()));

        // The broker queues these in the session before the consumer is back (its first retry is after 1 s):
        // more than Paho's inbound queue of 10 arrive right after the CONNACK, ahead of any SUBACK.
        MOSQUITTO.restart(Duration.ZERO);
        publish(range(5, 60));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(range(0, 60), received()));

        publish(range(60, 65));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(range(0, 65), received()));
    }

    @Test
    void aFailedMessageIsSentAgainAfterTheSessionRestartsAndAcknowledgedOnceItSucceeds() throws Exception {
        startAndAwaitConnected();
        failOnce.add("m-0");

        publish(Set.of("m-0"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(2, attempts.get("m-0").get()));

        // Acknowledged the second time: a new connection does not bring it back.
        camel.getRouteController().stopRoute("subscriber");
        camel.getRouteController().startRoute("subscriber");
        publish(Set.of("m-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts.containsKey("m-1"));
        assertEquals(2, attempts.get("m-0").get());
    }

    @Test
    void theRouteStartsWhileTheBrokerIsDownAndSubscribesWhenItIsBack() throws Exception {
        MOSQUITTO.stop();
        try {
            camel.getRouteController().startRoute("subscriber");
            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("subscriber"));
            assertFalse(consumer().isConnected());
        } finally {
            MOSQUITTO.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer().isConnected());
        awaitProbeReaches("subscriber");
    }

    @Test
    void twoSubscribersInOneShareGroupSplitTheMessagesAndEachIsProcessedOnce() throws Exception {
        String shared = "$share/" + name + "/" + topic;
        addSubscriber("instance-a", shared, name + "-a");
        addSubscriber("instance-b", shared, name + "-b");
        camel.getRouteController().startRoute("instance-a");
        camel.getRouteController().startRoute("instance-b");
        awaitProbeReaches("instance-a", "instance-b");

        publish(range(0, 40));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(range(0, 40), received()));
        for (String payload : range(0, 40)) {
            assertEquals(1, attempts.get(payload).get(), payload + " was processed once");
        }
        for (String instance : List.of("instance-a", "instance-b")) {
            assertTrue(receivedBy.get(instance).stream().anyMatch(p -> p.startsWith("m-")), instance + " got a share");
        }
    }

    @Test
    void withMaxBatchTheQueuedMessagesArriveInOrderInBatchesAndAFailedBatchComesBackWhole() throws Exception {
        List<List<String>> batches = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(SessionMqttComponent.SCHEME + ":" + topic + "?brokerUrl=" + BROKER + "&clientId=" + name + "-batches"
                        + "&qos=1&cleanStart=false&sessionExpiryInterval=120&maxReconnectDelay=1000&maxBatch=20")
                        .routeId("batches").autoStartup(false)
                        .process(exchange -> {
                            List<String> payloads = exchange.getIn().getBody(List.class).stream()
                                    .map(m -> ((org.apache.camel.Message) m).getBody(String.class)).toList();
                            batches.add(payloads);
                            payloads.forEach(p -> attempts.computeIfAbsent(p, x -> new AtomicInteger()).incrementAndGet());
                            if (payloads.stream().anyMatch(failOnce::remove)) {
                                throw new IllegalStateException("the store is away (test)");
                            }
                        });
            }
        });
        camel.getRouteController().startRoute("batches");
        awaitProbeReaches(() -> attempts.containsKey("probe"));
        camel.getRouteController().stopRoute("batches");
        List<String> sent = IntStream.range(0, 50).mapToObj(i -> String.format("b-%02d", i)).toList();
        failOnce.add("b-07");
        publish(new java.util.LinkedHashSet<>(sent));
        batches.clear();
        camel.getRouteController().startRoute("batches");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(attempts.keySet().containsAll(sent)));
        Thread.sleep(2_000); // a further second of redeliveries would show
        List<List<String>> seen = List.copyOf(batches);
        assertTrue(seen.stream().allMatch(b -> b.size() <= 20), "no batch over 20: " + seen);
        assertTrue(seen.stream().anyMatch(b -> b.size() > 1), "queued messages come in batches: " + seen);
        List<String> failed = seen.stream().filter(b -> b.contains("b-07")).findFirst().orElseThrow();
        // The subscription's probes are copies of one payload, counted together: a late copy may share the batch.
        for (String p : failed.stream().filter(p -> !p.equals("probe")).toList()) {
            assertEquals(2, attempts.get(p).get(), p + " was in the failed batch and came back once");
        }
        // In order, and each message that was not in the failed batch processed once.
        List<String> inOrder = seen.stream().flatMap(List::stream).filter(p -> !p.equals("probe")).distinct().toList();
        assertEquals(sent, inOrder);
        sent.stream().filter(p -> !failed.contains(p)).forEach(p -> assertEquals(1, attempts.get(p).get(), p));
    }

    private void awaitProbeReaches(java.util.function.BooleanSupplier reached) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            publish(Set.of("probe"));
            return reached.getAsBoolean();
        });
    }

    private void startAndAwaitConnected() throws Exception {
        camel.getRouteController().startRoute("subscriber");
        awaitProbeReaches("subscriber");
    }

    /**
     * Subscribing is asynchronous, after the connection: publishes probes until one has reached each route, which
     * shows its subscription is in place.
     */
    private void awaitProbeReaches(String... routeIds) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            publish(Set.of("probe"));
            return Stream.of(routeIds).allMatch(r -> receivedBy.getOrDefault(r, Set.of()).contains("probe"));
        });
    }

    /** What arrived, without the probes that showed the subscription was in place (late copies may follow). */
    private Set<String> received() {
        return attempts.keySet().stream().filter(p -> !p.equals("probe")).collect(Collectors.toSet());
    }

    private SessionMqttConsumer consumer() {
        return consumer("subscriber");
    }

    private SessionMqttConsumer consumer(String routeId) {
        return (SessionMqttConsumer) camel.getRoute(routeId).getConsumer();
    }

    private void publish(java.util.Collection<String> payloads) throws MqttException {
        if (!sensor.isConnected()) {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        sensor.connect(options);
                        return true;
                    });
        }
        for (String payload : payloads.stream().sorted().toList()) {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            sensor.publish(topic, message);
        }
    }

    private static Set<String> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m-" + i).collect(Collectors.toSet());
    }
}
