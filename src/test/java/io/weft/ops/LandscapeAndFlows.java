package io.weft.ops;

import io.restassured.path.json.JsonPath;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The landscape, the flow inventory (JSON and CSV) and the per-system page of the operations API, against a
 * plant with one system added by a route file only; the supplier portal fails every purchase order (500).
 */
abstract class LandscapeAndFlows {

    @jakarta.inject.Inject
    io.weft.store.Store store;

    /**
     * The inventory starts from the journal's receipt index, not a scan of every message: the plan of its query,
     * with sequential scans discouraged (on these small test tables a scan would be cheaper), names the index.
     */
    @Test
    void theFlowQueryReadsTheJournalThroughItsReceiptIndex() {
        String plan = store.inTransaction(c -> {
            try (var s = c.createStatement()) {
                if (store.dialect() == io.weft.store.Store.Dialect.POSTGRESQL) {
                    s.execute("SET LOCAL enable_seqscan = off");
                }
            }
            StringBuilder text = new StringBuilder();
            try (var ps = c.prepareStatement("EXPLAIN " + io.weft.delivery.FlowStatistics.volumeQuery())) {
                ps.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofHours(1))));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                }
            }
            return text.toString();
        });
        assertTrue(plan.toLowerCase(java.util.Locale.ROOT).contains("ix_message_received"), plan);
    }

    static String purchaseOrder() {
        return """
                {"EBELN": "45%s", "LIFNR": "SUP-88", "WERKS": "P1", "BEDAT": "2026-11-20", "WAERS": "EUR",
                 "ITEMS": [{"EBELP": 10, "MATNR": "MAT-4711", "MENGE": 1000, "MEINS": "PC", "EINDT": "2026-11-28",
                 "NETPR": 1.25}]}""".formatted(Orders.nextOrderNumber());
    }

    @Test
    void theFlowWithInjectedFailuresRanksFirstAndTheCsvHasTheSameRows() {
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));
        Destinations.supplier().stubFor(post(urlEqualTo("/purchase-orders")).willReturn(aResponse().withStatus(500)
                .withBody("portal down for maintenance")));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(given().contentType("application/json").body(purchaseOrder()).post("/inbound/erp/purchase-orders")
                    .then().statusCode(202).extract().path("id"));
            Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("window", "hour").get("/api/flows")
                .then().statusCode(200).body("[0].source", equalTo("erp")).body("[0].type", equalTo("PurchaseOrder"))
                .body("[0].destination", equalTo("supplier")).body("[0].dead", greaterThanOrEqualTo(3))
                .body("[0].failedAttempts", greaterThanOrEqualTo(12)));
        JsonPath flows = given().queryParam("window", "day").get("/api/flows").then().statusCode(200)
                .body("[0].trend", hasSize(12)).body("[0].failureRate", equalTo(1.0f))
                .body("find { it.destination == 'mes' && it.type == 'ProductionOrder' }.p95LatencyMillis", notNullValue())
                .body("find { it.destination == 'mes' && it.type == 'ProductionOrder' }.messages", greaterThanOrEqualTo(3))
                .extract().jsonPath();
        String csv = given().queryParam("window", "day").get("/api/flows.csv").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertEquals("source,type,destination,messages,failedAttempts,dead,failureRate,p95LatencyMillis,trend", lines.get(0));
        List<Map<String, Object>> rows = flows.getList("$");
        assertEquals(rows.size(), lines.size() - 1, csv);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            assertTrue(lines.get(i + 1).startsWith(row.get("source") + "," + row.get("type") + "," + row.get("destination")
                    + "," + row.get("messages") + ","), lines.get(i + 1) + " vs " + row);
        }
        String accepted = given().header("Accept", "text/csv").queryParam("window", "day").get("/api/flows").then()
                .statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertEquals(lines.get(0), accepted.split("\r\n")[0]);
        // The failures are grouped by cause, and the supplier shows its last error with its time.
        given().get("/api/failures").then().statusCode(200)
                .body("find { it.destination == 'supplier' }.count", greaterThanOrEqualTo(3))
                .body("find { it.destination == 'supplier' }.messageIds", hasItems(ids.toArray()));
    }

    @Test
    void theLandscapeListsASystemAddedOnlyByARouteFileWithItsFlows() {
        given().get("/api/landscape").then().statusCode(200)
                .body("systems.name", hasItems("erp", "mes", "qms", ConsoleProfiles.ADDED_SYSTEM))
                .body("systems.find { it.name == 'lims' }.sends", equalTo(true))
                .body("systems.find { it.name == 'lims' }.receives", equalTo(false))
                .body("systems.find { it.name == 'mes' }.paused", equalTo(false))
                // Flows with no traffic are there too, from the route files and the router.
                .body("flows.findAll { it.source == 'lims' }.destination", hasItems("erp", "mes"))
                .body("flows.find { it.source == 'lims' && it.destination == 'erp' }.type", equalTo("QualityInspection"))
                .body("flows.find { it.source == 'lims' && it.destination == 'erp' }.lastHour.messages", equalTo(0))
                .body("flows.find { it.source == 'erp' && it.type == 'PurchaseOrder' }.destination", notNullValue())
                .body("flows.findAll { it.source == 'erp' && it.type == 'ProductionOrder' }.destination", hasItems("mes", "wms"))
                .body("flows.findAll { it.source == 'crm' }.destination", equalTo(List.of("erp")));
    }

    @Test
    void aSystemsPageHasItsHistoryFailuresAndFilesAndServesOnlyItsOwnFiles() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/systems/mes").then().statusCode(200)
                .body("name", equalTo("mes")).body("reachabilityHistory", org.hamcrest.Matchers.not(hasSize(0)))
                .body("backlogHistory", org.hamcrest.Matchers.not(hasSize(0))));
        given().get("/api/systems/mes").then()
                .body("routeFiles", equalTo(List.of("mes.camel.yaml")))
                .body("mappings", hasItem("ProductionOrder.out.jsonata"))
                .body("reachabilityHistory[0].at", notNullValue())
                .body("backlogHistory[0].backlog", notNullValue())
                .body("recentFailures", notNullValue());
        given().get("/api/systems/mes/files/mes.camel.yaml").then().statusCode(200)
                .body(containsString("id: mes-out"));
        given().get("/api/systems/mes/files/ProductionOrder.out.jsonata").then().statusCode(200);
        for (String other : List.of("erp.camel.yaml", "..%2Ferp%2FPurchaseOrder.in.jsonata", "..%2F..%2Fapplication.properties",
                "%2Fetc%2Fpasswd", "nosuch.jsonata")) {
            given().urlEncodingEnabled(false).get("/api/systems/mes/files/" + other).then().statusCode(404);
        }
        given().get("/api/systems/nosuch").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/systems/Bad%20Name").then().statusCode(400).contentType("application/problem+json");
        given().queryParam("window", "month").get("/api/flows").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("window"));
        given().queryParam("window", "month").get("/api/flows.csv").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/systems").then().body("find { it.name == 'mes' }", org.hamcrest.Matchers.hasKey("lastErrorAt"));
    }
}
