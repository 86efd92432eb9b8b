package io.weft.observe;

import io.weft.testing.Management;
import io.weft.testing.Metrics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Orders;
import io.weft.testing.RecordingDestination;
import io.weft.testing.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health per system, weft_ metrics and trace propagation, observed from outside as an operator would. */
@QuarkusTest
@TestProfile(ObservabilityTest.Profile.class)
class ObservabilityTest {
    static RecordingDestination mes;

    public static class Plant implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            mes = RecordingDestination.start("mes", "/", 200);
            // The WMS is a file system: its drop folders are temporary folders.
            try {
                Path wms = Files.createTempDirectory("weft-wms-");
                return Map.of("weft.systems.mes.url", mes.baseUrl(),
                        "weft.systems.wms.inbox", "file:" + wms.resolve("inbox"),
                        "weft.systems.wms.outbox", "file:" + wms.resolve("outbox"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            mes.close();
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.postgres());
            config.put("weft.health.probe-interval", "300ms");
            config.put("weft.delivery.max-attempts", "3");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Plant.class));
        }
    }

    @AfterEach
    void plantBackToNormal() {
        mes.goDown();
        mes.comeBack();
        mes.answer((key, attempt) -> 200);
    }

    @Test
    void readinessNamesADestinationThatStopsAndRecoversWhenItIsBack() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'weft-systems' }.data.mes", startsWith("UP")));

        mes.goDown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'weft-systems' }.data.mes", startsWith("DOWN"))
                .body("checks.find { it.name == 'weft-systems' }.data.wms", startsWith("UP")));
        given().get("/api/systems").then().statusCode(200)
                .body("find { it.name == 'mes' }.reachability", equalTo("DOWN"))
                .body("find { it.name == 'erp' }.sends", equalTo(true));

        mes.comeBack();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'weft-systems' }.data.mes", startsWith("UP")));
    }

    @Test
    void metricsMoveAsMessagesFlowFailRetryAndDie() {
        double received = baseline("weft_messages_received_total", "system=\"erp\"", "type=\"ProductionOrder\"");
        double delivered = baseline("weft_deliveries_total", "destination=\"wms\"", "outcome=\"delivered\"");
        double retried = baseline("weft_deliveries_total", "destination=\"mes\"", "outcome=\"retry\"");
        double dead = baseline("weft_deliveries_total", "destination=\"mes\"", "outcome=\"dead\"");
        double rejectedSchema = baseline("weft_inbound_rejected_total", "system=\"erp\"", "reason=\"schema\"");
        double validation = baseline("weft_validation_failures_total", "system=\"erp\"", "type=\"ProductionOrder\"");

        mes.answer((key, attempt) -> 503);
        Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        Orders.post(Orders.erpOrder(Orders.nextOrderNumber(), "P1").replace("\"GAMNG\": 500", "\"GAMNG\": -1"))
                .then().statusCode(422);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertEquals(received + 1, metric("weft_messages_received_total", "system=\"erp\"", "type=\"ProductionOrder\""));
            assertEquals(delivered + 1, metric("weft_deliveries_total", "destination=\"wms\"", "outcome=\"delivered\""));
            assertEquals(retried + 2, metric("weft_deliveries_total", "destination=\"mes\"", "outcome=\"retry\""));
            assertEquals(dead + 1, metric("weft_deliveries_total", "destination=\"mes\"", "outcome=\"dead\""));
        });
        assertEquals(rejectedSchema + 1, metric("weft_inbound_rejected_total", "system=\"erp\"", "reason=\"schema\""));
        assertEquals(validation + 1, metric("weft_validation_failures_total", "system=\"erp\"", "type=\"ProductionOrder\""));
        assertTrue(metric("weft_end_to_end_seconds_count", "destination=\"wms\"") >= 1);
        assertTrue(metric("weft_delivery_duration_seconds_count", "destination=\"mes\"", "outcome=\"failure\"") >= 3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(metric("weft_dead_deliveries", "destination=\"mes\"") >= 1));
        // The parked delivery is no longer waiting: nothing is in the MES's queue, and nothing has aged there.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertEquals(0, metric("weft_backlog", "destination=\"mes\""));
            assertEquals(0, metric("weft_oldest_pending_age_seconds", "destination=\"mes\""));
        });
        // Camel's own route metrics are there too.
        Management.given().get("/q/metrics").then().body(containsString("routeId=\"erp-in-production-orders\""));
    }

    @Test
    void theTraceparentAtTheDestinationCarriesTheTraceIdOfTheJournal() {
        String id = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> mes.received().stream()
                .anyMatch(r -> id.equals(r.idempotencyKey())));
        String traceparent = mes.received().stream().filter(r -> id.equals(r.idempotencyKey()))
                .findFirst().orElseThrow().traceparent();
        assertNotNull(traceparent, "the MES request carries a W3C traceparent");
        Matcher w3c = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]").matcher(traceparent);
        assertTrue(w3c.matches(), traceparent);
        String traceId = given().get("/api/messages/" + id).then().statusCode(200)
                .body("envelope.traceparent", startsWith("00-" + w3c.group(1)))
                .extract().path("message.traceId");
        assertEquals(w3c.group(1), traceId);
    }

    @Test
    void aSourcesTraceIsContinued() {
        String sourceTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String id = given().contentType("application/json").header("traceparent", "00-" + sourceTrace + "-00f067aa0ba902b7-01")
                .body(Orders.erpOrder(Orders.nextOrderNumber(), "P1")).post("/inbound/erp/production-orders")
                .then().statusCode(202).extract().path("id");
        given().get("/api/messages/" + id).then().body("message.traceId", equalTo(sourceTrace));
    }

    @Test
    void theDashboardAndAlertRulesAreValidAndQueryOnlyMetricsThatExist() throws Exception {
        // Make every labelled series exist once: a delivery, a schema rejection and a mapping rejection.
        Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        Orders.post(Orders.erpOrder(Orders.nextOrderNumber(), "P1").replace("\"GAMNG\": 500", "\"GAMNG\": -1"));
        Orders.post(Orders.erpOrder(Orders.nextOrderNumber(), "P1").replace("\"STATUS\": \"REL\"", "\"STATUS\": 42"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(metric("weft_end_to_end_seconds_count") > 0));

        ObjectMapper json = new ObjectMapper();
        JsonNode dashboard = json.readTree(Path.of("k8s/monitoring/weft-dashboard.json").toFile());
        assertEquals("weft-overview", dashboard.path("uid").asText());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(panel.hasNonNull("title") && panel.path("gridPos").has("w"), "panel " + panel.path("id"));
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        assertTrue(queries.size() >= 8, "dashboard queries: " + queries);

        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("k8s/monitoring/weft-alerts.yaml").toFile());
        assertEquals("PrometheusRule", rules.path("kind").asText());
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertTrue(rule.hasNonNull("alert") && rule.hasNonNull("expr") && rule.path("labels").has("severity")
                        && rule.path("annotations").has("summary"), "incomplete rule " + rule);
                alerts.add(rule.path("alert").asText());
                queries.add(rule.path("expr").asText());
            }
        }
        assertEquals(List.of("WeftDeadDeliveries", "WeftBacklogAging", "WeftSystemUnreachable", "WeftInboundErrorRate"), alerts);

        String exported = Management.given().get("/q/metrics").then().extract().asString();
        Matcher names = Pattern.compile("\\bweft_[a-z_]+").matcher(String.join("\n", queries));
        int checked = 0;
        while (names.find()) {
            String name = names.group();
            assertTrue(exported.contains("\n" + name + "{") || exported.contains("\n" + name + " "),
                    name + " is queried by the dashboard or alerts but not exported at /q/metrics");
            checked++;
        }
        assertTrue(checked >= 10, "metric references checked: " + checked);
    }

    /** The value of an exported series; fails when it is missing ({@link Metrics#value}). */
    static double metric(String name, String... labels) {
        return Metrics.value(name, labels);
    }

    static double baseline(String name, String... labels) {
        return Metrics.baseline(name, labels);
    }
}
