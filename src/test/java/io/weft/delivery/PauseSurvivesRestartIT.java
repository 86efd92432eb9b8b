package io.weft.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.testing.Auth;
import io.weft.testing.Orders;
import io.weft.testing.ProcessStore;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pause is kept in the store: the packaged Weft, restarted while the MES is paused, still holds the MES's
 * deliveries without an attempt, on each store; resuming after the restart delivers them.
 */
class PauseSurvivesRestartIT {

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination mes = RecordingDestination.start("mes", "/api/work-orders", 201);

    @AfterEach
    void stopDestinations() {
        mes.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessStore.Kind.class)
    void aPausedDestinationStaysPausedAcrossARestartAndDeliversAfterTheResume(ProcessStore.Kind kind) throws Exception {
        ProcessStore db = kind.create();
        Map<String, String> config = new HashMap<>(db.weftConfig());
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.mes.url", mes.baseUrl());
        Path wms = Files.createTempDirectory("weft-pause-wms-");
        config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.delivery.poll-interval", "100ms");
        config.put("weft.delivery.initial-backoff", "200ms");

        WeftProcess first = weft.start("pause-first-" + kind, config).awaitReady(Duration.ofSeconds(90));
        assertEquals(200, WeftApi.post(first, "/api/destinations/mes/pause", Auth.operator("operator"), null).statusCode());
        String order = Orders.nextOrderNumber();
        var accepted = WeftApi.post(first, "/inbound/erp/production-orders", Auth.erp(), Orders.erpOrder(order, "P1"));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(accepted.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(delivery(first, id, "wms").path("status").asText()));
        first.stop();

        WeftProcess second = weft.start("pause-restarted-" + kind, config).awaitReady(Duration.ofSeconds(90));
        JsonNode destinations = WeftApi.get(second, "/api/destinations");
        JsonNode mesView = find(destinations, "mes");
        assertTrue(mesView.path("paused").asBoolean(), destinations.toString());
        assertEquals("operator", mesView.path("pausedBy").asText());
        Thread.sleep(2000); // many poll intervals of the restarted lanes
        JsonNode queued = delivery(second, id, "mes");
        assertEquals("PENDING", queued.path("status").asText(), queued.toString());
        assertEquals(0, queued.path("attempts").asInt(), queued.toString());
        assertEquals(0, mes.received().size(), "the paused MES received nothing");

        assertEquals(200, WeftApi.post(second, "/api/destinations/mes/resume", Auth.operator("operator"), null).statusCode());
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(delivery(second, id, "mes").path("status").asText()));
        assertEquals(1, delivery(second, id, "mes").path("attempts").asInt());
        JsonNode audit = WeftApi.get(second, "/api/audit?action=pause");
        assertEquals("operator", audit.path(0).path("actor").asText(), audit.toString());
        second.stop();
    }

    /** Two instances on one PostgreSQL database: a pause made through one holds for the other's lanes too. */
    @org.junit.jupiter.api.Test
    void aPauseMadeThroughOneInstanceHoldsForEveryInstanceOnTheSharedStore() throws Exception {
        ProcessStore db = ProcessStore.Kind.POSTGRESQL.create();
        Map<String, String> config = new HashMap<>(db.weftConfig());
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.mes.url", mes.baseUrl());
        Path wms = Files.createTempDirectory("weft-pause-wms-");
        config.put("weft.systems.wms.inbox", "file:" + wms.resolve("inbox"));
        config.put("weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
        config.put("weft.delivery.poll-interval", "100ms");
        Map<String, String> configA = new HashMap<>(config);
        configA.put("weft.instance-id", "pause-a");
        Map<String, String> configB = new HashMap<>(config);
        configB.put("weft.instance-id", "pause-b");
        WeftProcess a = weft.start("pause-instance-a", configA).awaitReady(Duration.ofSeconds(90));
        WeftProcess b = weft.start("pause-instance-b", configB).awaitReady(Duration.ofSeconds(90));

        assertEquals(200, WeftApi.post(a, "/api/destinations/mes/pause", Auth.operator("operator"), null).statusCode());
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (WeftProcess instance : java.util.List.of(a, b, a, b)) {
            var accepted = WeftApi.post(instance, "/inbound/erp/production-orders", Auth.erp(),
                    Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
            assertEquals(202, accepted.statusCode(), accepted.body());
            ids.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(accepted.body()).path("id").asText());
        }
        assertTrue(find(WeftApi.get(b, "/api/destinations"), "mes").path("paused").asBoolean());
        Thread.sleep(2000);
        for (String id : ids) {
            assertEquals(0, delivery(b, id, "mes").path("attempts").asInt(), id);
        }
        assertEquals(0, mes.received().size(), "neither instance attempted the paused MES");

        assertEquals(200, WeftApi.post(b, "/api/destinations/mes/resume", Auth.operator("operator"), null).statusCode());
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                .allMatch(id -> "DELIVERED".equals(delivery(a, id, "mes").path("status").asText())));
    }

    private static JsonNode delivery(WeftProcess weft, String id, String destination) {
        for (JsonNode d : WeftApi.get(weft, "/api/messages/" + id).path("deliveries")) {
            if (destination.equals(d.path("destination").asText())) {
                return d;
            }
        }
        throw new AssertionError("no delivery of " + id + " to " + destination);
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }
}
