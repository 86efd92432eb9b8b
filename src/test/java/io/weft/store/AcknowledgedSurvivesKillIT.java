package io.weft.store;

import io.weft.testing.Auth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.Orders;
import io.weft.testing.FaultLedger;
import io.weft.testing.ProcessStore;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Weft answered 202 survives a kill -9 that comes with no pause, on each store: the packaged Weft, the MES
 * down, orders acknowledged, SIGKILL, then the store read directly (every acknowledged id is journaled with its
 * deliveries) and a restart with the MES back (every order reaches it exactly once). The MES was down until the
 * restart, so no request of the killed instance can have reached it: any second request is a duplicate.
 */
class AcknowledgedSurvivesKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination mes = RecordingDestination.start("mes", "/api/work-orders", 201);

    @AfterEach
    void stopMes() {
        mes.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessStore.Kind.class)
    void everyOrderAnswered202RightBeforeAKillIsJournaledAndDeliveredOnceAfterTheRestart(ProcessStore.Kind kind)
            throws Exception {
        ProcessStore store = kind.create();
        Path wmsOutbox = Files.createTempDirectory("weft-ack-kill-wms-").resolve("outbox");
        Map<String, String> config = config(store, wmsOutbox);
        mes.goDown();

        WeftProcess first = weft.start("ack-kill-first-" + kind, config).awaitReady(Duration.ofSeconds(90));
        Set<String> acked = postOrders(first.uri(), 200, 8);
        first.kill(); // the moment the last 202 is read: no pause
        store.awaitReleasedByKilledInstance();

        assertEquals(200, acked.size(), "every order answered 202 with its own id");
        Set<String> journaled = store.strings("SELECT id FROM message");
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(journaled);
        assertEquals(0, lost.size(), lost.size() + " of 200 acknowledged orders not journaled: " + lost);
        assertEquals(acked, journaled, "the journal holds exactly the acknowledged orders");
        assertEquals(2L * acked.size(), store.count("SELECT count(*) FROM delivery"), "an MES and a WMS delivery each");

        restartAndAssertDeliveredOnce("202 then kill -9 at once (200 orders, 8 senders, MES down)", kind, config,
                acked, acked.size(), wmsOutbox, store);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessStore.Kind.class)
    void underSustainedLoadFromSeveralSendersEveryAcknowledgedOrderSurvivesAKillMidStream(ProcessStore.Kind kind)
            throws Exception {
        ProcessStore store = kind.create();
        Path wmsOutbox = Files.createTempDirectory("weft-load-kill-wms-").resolve("outbox");
        Map<String, String> config = config(store, wmsOutbox);
        mes.goDown();

        WeftProcess first = weft.start("load-kill-first-" + kind, config).awaitReady(Duration.ofSeconds(90));
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(6);
        for (int i = 0; i < 6; i++) {
            senders.submit(() -> {
                while (sending.get()) {
                    String id = postOrder(first.uri());
                    if (id != null) {
                        acked.add(id);
                    }
                }
            });
        }
        // Killed while all six senders have requests in flight.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> acked.size() >= 400);
        first.kill();
        sending.set(false);
        senders.shutdown();
        assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS), "the senders stopped");
        store.awaitReleasedByKilledInstance();

        Set<String> journaled = store.strings("SELECT id FROM message");
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(journaled);
        System.out.printf("%s: %d acknowledged, %d journaled at the kill%n", kind, acked.size(), journaled.size());
        assertEquals(Set.of(), lost, "acknowledged but not journaled");
        // A request the kill cut off may have been committed without its answer: journaled, not acknowledged.
        // It is delivered like the others.
        assertEquals(2L * journaled.size(), store.count("SELECT count(*) FROM delivery"));

        restartAndAssertDeliveredOnce("kill -9 under sustained load (6 senders, MES down)", kind, config, journaled,
                acked.size(), wmsOutbox, store);
    }

    /** The MES is back, Weft restarted: each message reaches the MES once and the WMS folder once, and stays so. */
    private void restartAndAssertDeliveredOnce(String scenario, ProcessStore.Kind kind, Map<String, String> config,
                                               Set<String> messages, int acknowledged, Path wmsOutbox,
                                               ProcessStore store) throws Exception {
        mes.comeBack();
        WeftProcess second = weft.start("restarted-" + kind, config).awaitReady(Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                acceptedKeys().containsAll(messages) && WeftApi.unfinished(second, "mes") == 0
                        && WeftApi.unfinished(second, "wms") == 0);
        assertDeliveredOnce(messages, wmsOutbox);
        // Several poll intervals and retry backoffs later, still once: a late duplicate would show here.
        Thread.sleep(3_000);
        long[] mesCounts = FaultLedger.distinctAndDuplicates(mes.received(), r -> String.valueOf(r.idempotencyKey()));
        FaultLedger.record(scenario, kind.toString(), acknowledged, messages.size(), mesCounts[0], mesCounts[1],
                "confirmed = distinct orders at the MES; the WMS folder is checked by the test");
        assertDeliveredOnce(messages, wmsOutbox);
        second.stop();

        assertEquals(messages.size(), store.count("SELECT count(*) FROM delivery WHERE destination = 'mes' "
                + "AND status = 'DELIVERED'"));
        assertEquals(messages.size(), store.count("SELECT count(*) FROM delivery WHERE destination = 'wms' "
                + "AND status = 'DELIVERED'"));
        assertEquals(messages.size(), store.count("SELECT count(*) FROM delivery_attempt a JOIN delivery d "
                + "ON d.id = a.delivery_id WHERE d.destination = 'mes' AND a.outcome = 'SUCCESS'"),
                "one successful MES attempt per message");
    }

    private void assertDeliveredOnce(Set<String> messages, Path wmsOutbox) {
        Map<String, Long> perKey = mes.received().stream()
                .collect(Collectors.groupingBy(r -> String.valueOf(r.idempotencyKey()), Collectors.counting()));
        Map<String, Long> notOnce = perKey.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), notOnce, "MES requests per message other than one");
        assertEquals(messages, perKey.keySet(), "the MES received exactly the journaled messages");
        assertEquals(messages.stream().map(id -> "ProductionOrder-" + id + ".csv").collect(Collectors.toSet()),
                Set.copyOf(WmsFiles.names(wmsOutbox)), "one WMS file per message, no temporary file left");
    }

    private Set<String> acceptedKeys() {
        return mes.received().stream().filter(RecordingDestination.Received::accepted)
                .map(RecordingDestination.Received::idempotencyKey).collect(Collectors.toSet());
    }

    private Map<String, String> config(ProcessStore store, Path wmsOutbox) {
        Map<String, String> config = new HashMap<>(store.weftConfig());
        // -Dweft.test.h2-commit=lazy (H2 as it comes) shows these tests failing: acknowledged orders lost.
        config.put("weft.store.h2.commit", System.getProperty("weft.test.h2-commit", "sync"));
        config.put("weft.instance-id", "ack-kill-it");
        config.put("weft.systems.mes.url", mes.baseUrl());
        config.put("weft.systems.wms.inbox", "file:" + wmsOutbox.resolveSibling("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wmsOutbox);
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "false");
        // Retries soon after the MES is back; enough attempts that none is parked while it is down.
        config.put("weft.delivery.poll-interval", "100ms");
        config.put("weft.delivery.initial-backoff", "200ms");
        config.put("weft.delivery.max-backoff", "1s");
        config.put("weft.delivery.max-attempts", "1000");
        return config;
    }

    /** Posts {@code count} orders from {@code threads} threads; every answer must be a 202. Returns the ids. */
    private static Set<String> postOrders(URI weft, int count, int threads) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(senders.submit(() -> {
                    String id = postOrder(weft);
                    if (id == null) {
                        throw new AssertionError("an order was not answered 202");
                    }
                    return id;
                }));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> answer : answers) {
                ids.add(answer.get(60, TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            senders.shutdownNow();
        }
    }

    /** One new ERP order; the id Weft answered with a 202, or null for any other outcome (e.g. Weft was killed). */
    private static String postOrder(URI weft) {
        HttpRequest post = HttpRequest.newBuilder(weft.resolve("/inbound/erp/production-orders"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").headers(Auth.headers(Auth.erp()))
                .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(Orders.nextOrderNumber(), "P1"))).build();
        try {
            HttpResponse<String> response = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                return null;
            }
            JsonNode body = JSON.readTree(response.body());
            return body.path("duplicate").asBoolean() ? null : body.path("id").asText();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
