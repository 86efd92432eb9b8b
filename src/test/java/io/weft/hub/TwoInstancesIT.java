package io.weft.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.Auth;
import io.weft.testing.Orders;
import io.weft.testing.PostgresDatabase;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftProcess;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two packaged Weft instances on one PostgreSQL, as when Weft is scaled out: the ERP sends every order to both at
 * the same moment (a retry that reached the other instance). Each order is journaled once, both copies are
 * answered with its id, and each destination receives it once, while both instances share the deliveries.
 */
class TwoInstancesIT {
    private static final int ORDERS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination mes = RecordingDestination.start("mes", "/api/work-orders", 201);

    @AfterEach
    void stopDestinations() {
        mes.close();
    }

    @Test
    void theSameOrderSentToBothInstancesAtOnceIsJournaledAndDeliveredOnce() throws Exception {
        String db = PostgresDatabase.create();
        Path wms = Files.createTempDirectory("weft-two-instances-wms-");
        WeftProcess a = weft.start("instance-a", config(db, "instance-a", wms));
        WeftProcess b = weft.start("instance-b", config(db, "instance-b", wms));
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
        mes.latency(20); // a backlog builds up, so both instances' lanes find work

        List<String> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(Orders.nextOrderNumber());
        }
        Map<String, List<JsonNode>> answers = postToBoth(orders, a.uri(), b.uri());

        Map<String, String> idByOrder = new HashMap<>();
        for (String order : orders) {
            List<JsonNode> both = answers.get(order);
            Set<String> ids = both.stream().map(n -> n.path("id").asText()).collect(Collectors.toSet());
            assertEquals(1, ids.size(), "both copies of " + order + " answered with one id: " + both);
            assertEquals(1, both.stream().filter(n -> !n.path("duplicate").asBoolean()).count(),
                    "exactly one copy of " + order + " taken as new: " + both);
            idByOrder.put(order, ids.iterator().next());
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                PostgresDatabase.count(db, "SELECT count(*) FROM delivery WHERE status <> 'DELIVERED'") == 0);

        assertEquals(ORDERS, PostgresDatabase.count(db, "SELECT count(*) FROM message"), "one journal entry per order");
        assertEquals(2L * ORDERS, PostgresDatabase.count(db, "SELECT count(*) FROM delivery"));
        assertEquals(2L * ORDERS, PostgresDatabase.count(db, "SELECT count(*) FROM delivery_attempt"),
                "one attempt per delivery: no delivery was claimed by both instances");
        // Each instance delivered some of them: the outbox is shared through SKIP LOCKED claims.
        assertEquals(2, PostgresDatabase.count(db, "SELECT count(DISTINCT instance) FROM delivery_attempt"));

        Set<String> ids = new HashSet<>(idByOrder.values());
        List<RecordingDestination.Received> received = mes.received();
        assertEquals(ORDERS, received.size(), "the MES received each order once");
        assertEquals(ids, received.stream().map(RecordingDestination.Received::idempotencyKey).collect(Collectors.toSet()));
        assertEquals(ids.stream().map(id -> "ProductionOrder-" + id + ".csv").collect(Collectors.toSet()),
                Set.copyOf(WmsFiles.names(wms.resolve("outbox"))), "one WMS file per order");
    }

    private Map<String, String> config(String db, String instance, Path wms) throws Exception {
        Map<String, String> config = new HashMap<>(PostgresDatabase.weftConfig(db));
        config.put("weft.instance-id", instance);
        config.put("weft.systems.mes.url", mes.baseUrl());
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        // Each instance polls its own WMS inbox; the outbox folder is shared, as on a shared volume.
        config.put("weft.systems.wms.inbox", "file:" + Files.createDirectories(wms.resolve("inbox-" + instance)));
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "false");
        config.put("weft.delivery.poll-interval", "200ms");
        return config;
    }

    /** Posts every order to both instances at the same moment; answers per order, every one a 202. */
    private static Map<String, List<JsonNode>> postToBoth(List<String> orders, URI a, URI b) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            Map<String, List<Future<JsonNode>>> pending = new HashMap<>();
            for (String order : orders) {
                CountDownLatch together = new CountDownLatch(2);
                for (URI instance : List.of(a, b)) {
                    pending.computeIfAbsent(order, k -> new ArrayList<>()).add(clients.submit(() -> {
                        together.countDown();
                        together.await(5, TimeUnit.SECONDS);
                        HttpRequest post = HttpRequest.newBuilder(instance.resolve("/inbound/erp/production-orders"))
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").headers(Auth.headers(Auth.erp()))
                                .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P1"))).build();
                        HttpResponse<String> response = client.send(post, HttpResponse.BodyHandlers.ofString());
                        assertEquals(202, response.statusCode(), order + ": " + response.body());
                        return JSON.readTree(response.body());
                    }));
                }
            }
            Map<String, List<JsonNode>> answers = new HashMap<>();
            for (Map.Entry<String, List<Future<JsonNode>>> order : pending.entrySet()) {
                List<JsonNode> both = new ArrayList<>();
                for (Future<JsonNode> answer : order.getValue()) {
                    both.add(answer.get(60, TimeUnit.SECONDS));
                }
                answers.put(order.getKey(), both);
            }
            assertEquals(orders.size(), answers.size());
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }
}
