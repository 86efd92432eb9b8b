package io.weft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.Auth;
import io.weft.testing.Orders;
import io.weft.testing.ProcessStore;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 of the packaged Weft with messages accepted but not yet delivered, then a restart: every accepted
 * message is delivered, none is lost, and no delivery a destination had already confirmed is sent again.
 *
 * <p>Weft runs as a child process on a fresh store, once on the embedded H2 and once on PostgreSQL; the MES is a
 * real HTTP server in this JVM that records every request, the WMS a real outbox folder Weft writes CSV files into. The MES is slow, served by one
 * worker, and fails the first attempt of about every fifth message with a 500, so when the process is killed
 * there is an MES backlog in several states while the WMS has its files. A delivery counts as confirmed when the journal holds it as DELIVERED once the
 * killed process is gone: that is exactly what the restarted instance knows.
 */
class CrashRecoveryIT {
    private static final int ORDERS = 300;
    private static final String INSTANCE = "crash-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination mes = RecordingDestination.start("mes", "/api/work-orders", 201);

    @AfterEach
    void stopDestinations() {
        mes.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessStore.Kind.class)
    void afterKillDashNineAndRestartEveryAcceptedMessageIsDeliveredAndNoConfirmedDeliveryIsResent(ProcessStore.Kind kind)
            throws Exception {
        ProcessStore db = kind.create();
        Map<String, String> config = new HashMap<>(db.weftConfig());
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.instance-id", INSTANCE);
        config.put("weft.systems.mes.url", mes.baseUrl());
        Path wmsFolders = Files.createTempDirectory("weft-crash-wms-");
        Path wmsOutbox = wmsFolders.resolve("outbox");
        config.put("weft.systems.wms.inbox", "file:" + wmsFolders.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wmsOutbox);
        // One MES worker taking small batches: a backlog builds up behind the slow MES.
        config.put("weft.systems.mes.delivery.concurrency", "1");
        config.put("weft.delivery.batch-size", "10");
        config.put("weft.delivery.initial-backoff", "300ms");
        config.put("weft.delivery.max-backoff", "1s");
        config.put("weft.delivery.max-attempts", "50");
        config.put("weft.delivery.poll-interval", "100ms");
        // A lease far longer than the test: the restart must take back its own leases, not wait for them to lapse.
        config.put("weft.delivery.lease", "300s");

        mes.latency(100);
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        // Some first attempts fail (500), so the attempt log has failures before the kill as well.
        mes.answer((key, attempt) -> {
            if (attempt == 1 && key != null && Math.floorMod(key.hashCode(), 5) == 0) {
                failedOnce.add(key);
                return 500;
            }
            return 201;
        });

        long t0 = System.nanoTime();
        WeftProcess first = weft.start("crash-first", config).awaitReady(Duration.ofSeconds(60));
        long t1 = System.nanoTime();
        Map<String, String> accepted = postOrders(first.uri(), ORDERS);
        assertEquals(ORDERS, accepted.size(), "every order answered 202 with its own id");
        long t2 = System.nanoTime();

        // Let a good share be confirmed first, so the no-resend check below covers both destinations.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> deliveredCount(first, "mes") >= ORDERS / 5 && deliveredCount(first, "wms") >= 20);
        System.out.printf("first instance ready in %d ms, %d orders accepted in %d ms, killed %d ms later%n",
                (t1 - t0) / 1_000_000, ORDERS, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);

        first.kill();
        assertFalse(first.isAlive());
        db.awaitReleasedByKilledInstance();
        mes.awaitIdle(Duration.ofSeconds(10));

        // What the killed instance had confirmed, and what it left undone, as the store holds it now.
        Set<String> confirmed = deliveries(db, "status = 'DELIVERED'");
        Set<String> unfinished = deliveries(db, "status <> 'DELIVERED'");
        Set<String> leased = deliveries(db, "claimed_by = '" + INSTANCE + "'");
        int mesBeforeRestart = mes.received().size();
        System.out.printf("at the kill: %d deliveries confirmed, %d unfinished, %d leased (%s)%n",
                confirmed.size(), unfinished.size(), leased.size(), statusCounts(db));
        assertEquals(2 * ORDERS, confirmed.size() + unfinished.size(), "one delivery per order and destination");
        assertTrue(unfinished.size() >= 50, "the kill must leave accepted messages undelivered; left " + unfinished.size());
        assertTrue(confirmed.stream().anyMatch(d -> d.endsWith("/wms")), "some WMS deliveries confirmed before the kill");
        assertTrue(confirmed.stream().anyMatch(d -> d.endsWith("/mes")), "some MES deliveries confirmed before the kill");
        assertTrue(unfinished.stream().anyMatch(d -> d.endsWith("/mes")), "an MES backlog at the kill");
        assertFalse(leased.isEmpty(), "the killed instance held deliveries under lease");
        List<String> mesFailedOnce = List.copyOf(failedOnce);
        assertFalse(mesFailedOnce.isEmpty(), "some MES deliveries failed once and needed a retry");

        mes.latency(0);
        long restartedAt = System.nanoTime();
        WeftProcess second = weft.start("crash-restarted", config).awaitReady(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> WeftApi.unfinished(second, "mes") == 0 && WeftApi.unfinished(second, "wms") == 0);
        long drainedMs = (System.nanoTime() - restartedAt) / 1_000_000;
        second.stop();
        assertTrue(second.output().contains("resuming " + leased.size() + " deliveries this instance (" + INSTANCE),
                "the restarted instance took back the " + leased.size() + " leases it held");

        // The journal holds exactly one message per accepted order, and one delivery per destination.
        long[] mesCounts = io.weft.testing.FaultLedger.distinctAndDuplicates(
                mes.received().stream().filter(RecordingDestination.Received::accepted).toList(),
                r -> String.valueOf(r.idempotencyKey()));
        io.weft.testing.FaultLedger.record("kill -9 mid-delivery behind a slow, failing MES", kind.toString(),
                accepted.size(), db.strings("SELECT id FROM message").size(), mesCounts[0], mesCounts[1],
                "duplicates = MES 2xx answers beyond the first: only sent-but-unrecorded attempts of the killed instance");
        assertEquals(accepted.keySet(), db.strings("SELECT id FROM message"), "the journal holds exactly the accepted messages");
        assertEquals(ORDERS, db.count("SELECT count(DISTINCT subject) FROM message"));
        assertEquals(2 * ORDERS, deliveries(db, "status = 'DELIVERED'").size());

        // Every accepted message reached each destination, in the destination's format, at least once.
        Map<String, List<RecordingDestination.Received>> mesGot = acceptedByKey(mes);
        for (Map.Entry<String, String> order : accepted.entrySet()) {
            String id = order.getKey();
            assertTrue(mesGot.containsKey(id), "MES never confirmed message " + id);
            assertEquals(order.getValue(), JSON.readTree(mesGot.get(id).get(0).body()).path("workOrderId").asText());
            Path file = wmsOutbox.resolve("ProductionOrder-" + id + ".csv");
            assertTrue(Files.isRegularFile(file), "no WMS file for message " + id);
            assertEquals(order.getValue(), WmsFiles.rows(file).get(0).get("orderRef"));
        }
        // And nothing but the accepted messages was sent: one file per message, no temporary file left over.
        assertEquals(accepted.keySet(), keys(mes.received()));
        assertEquals(accepted.keySet().stream().map(id -> "ProductionOrder-" + id + ".csv").collect(Collectors.toSet()),
                Set.copyOf(WmsFiles.names(wmsOutbox)));

        // A delivery confirmed before the kill was answered 2xx exactly once and never sent again.
        List<String> resent = new ArrayList<>();
        for (String delivery : confirmed) {
            String id = delivery.substring(0, delivery.indexOf('/'));
            if (delivery.endsWith("/wms")) {
                continue; // a file destination keeps no request log: checked from the attempt log below
            }
            RecordingDestination destination = mes;
            long confirmedTimes = destination.received().stream()
                    .filter(r -> id.equals(r.idempotencyKey()) && r.accepted()).count();
            if (confirmedTimes != 1) {
                resent.add(delivery + " answered 2xx " + confirmedTimes + " times");
            }
        }
        resent.addAll(sentAgain(mes, "mes", mesBeforeRestart, confirmed));
        // A WMS file confirmed before the kill was written by exactly one successful attempt.
        for (String delivery : deliveries(db, "destination = 'wms' AND id IN (SELECT delivery_id FROM delivery_attempt "
                + "WHERE outcome = 'SUCCESS' GROUP BY delivery_id HAVING count(*) > 1)")) {
            if (confirmed.contains(delivery)) {
                resent.add(delivery + " written again after the restart");
            }
        }
        assertTrue(resent.isEmpty(), "confirmed deliveries sent again: " + resent);

        // The MES's failed first attempts went through Weft's own retry, recorded in the attempt log.
        assertTrue(db.count("SELECT count(*) FROM delivery_attempt WHERE outcome = 'FAILURE' AND http_status = 500") > 0,
                "failed attempts are recorded");

        // At-least-once at work: deliveries the destination answered before the kill, but the killed instance
        // had not yet recorded, are sent again with the same Idempotency-Key (the destination dedupes them).
        long answeredButUnrecorded = unfinished.stream().filter(d -> {
            String id = d.substring(0, d.indexOf('/'));
            if (!d.endsWith("/mes")) {
                return false;
            }
            List<RecordingDestination.Received> before = mes.received().subList(0, mesBeforeRestart);
            return before.stream().anyMatch(r -> id.equals(r.idempotencyKey()) && r.accepted());
        }).count();
        System.out.printf("restart drained %d unfinished deliveries in %d ms; %d of them had been answered 2xx "
                + "before the kill and not yet recorded; %d MES first attempts failed%n",
                unfinished.size(), drainedMs, answeredButUnrecorded, mesFailedOnce.size());
    }

    /** Requests a destination received after the restart for deliveries confirmed before the kill. */
    private static List<String> sentAgain(RecordingDestination destination, String name, int receivedBeforeRestart,
                                          Set<String> confirmed) {
        List<RecordingDestination.Received> all = destination.received();
        return all.subList(receivedBeforeRestart, all.size()).stream()
                .filter(r -> confirmed.contains(r.idempotencyKey() + "/" + name))
                .map(r -> r.idempotencyKey() + "/" + name + " sent again after the restart").toList();
    }

    /** Posts the orders from a few client threads; returns message id to order number, every answer a 202. */
    private static Map<String, String> postOrders(URI weft, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String[]>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String order = Orders.nextOrderNumber();
                answers.add(clients.submit(() -> {
                    HttpRequest post = HttpRequest.newBuilder(weft.resolve("/inbound/erp/production-orders"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").headers(Auth.headers(Auth.erp()))
                            .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P1"))).build();
                    HttpResponse<String> response = client.send(post, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 202) {
                        throw new AssertionError("order " + order + ": " + response.statusCode() + " " + response.body());
                    }
                    JsonNode body = JSON.readTree(response.body());
                    if (body.path("duplicate").asBoolean()) {
                        throw new AssertionError("order " + order + " taken for a duplicate: " + response.body());
                    }
                    return new String[] {body.path("id").asText(), order};
                }));
            }
            Map<String, String> accepted = new HashMap<>();
            for (Future<String[]> answer : answers) {
                String[] idAndOrder = answer.get(60, TimeUnit.SECONDS);
                accepted.put(idAndOrder[0], idAndOrder[1]);
            }
            return accepted;
        } finally {
            clients.shutdownNow();
        }
    }

    private static Map<String, List<RecordingDestination.Received>> acceptedByKey(RecordingDestination destination) {
        return destination.received().stream().filter(RecordingDestination.Received::accepted)
                .collect(Collectors.groupingBy(RecordingDestination.Received::idempotencyKey));
    }

    private static Set<String> keys(List<RecordingDestination.Received> received) {
        return received.stream().map(RecordingDestination.Received::idempotencyKey).collect(Collectors.toSet());
    }

    /** Deliveries as "message id/destination". */
    private static Set<String> deliveries(ProcessStore db, String where) {
        return db.strings("SELECT message_id || '/' || destination FROM delivery WHERE " + where);
    }

    /** Read through the running instance's operations API: the embedded store is the process's own file. */
    private static long deliveredCount(WeftProcess weft, String destination) {
        return WeftApi.get(weft, "/api/deliveries?status=DELIVERED&limit=1000&destination=" + destination).size();
    }

    private static String statusCounts(ProcessStore db) {
        return String.join(", ", db.strings("SELECT destination || ' ' || status || '=' || count(*) FROM delivery "
                + "GROUP BY destination, status ORDER BY destination, status"));
    }
}
