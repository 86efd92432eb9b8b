package io.weft.spoke;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.hub.Hub;
import io.weft.journal.PublishResult;
import io.weft.testing.Destinations;
import io.weft.testing.Settle;
import io.weft.testing.QmsDatabase;
import io.weft.testing.Spokes;
import jakarta.inject.Inject;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The QMS spoke against a real MariaDB: inspection rows to the MES, production results into the QMS table. */
@QuarkusTest
@TestProfile(Spokes.class)
class QmsSpokeTest {
    private static final AtomicLong LOT = new AtomicLong(System.nanoTime() % 1_000_000L);

    @Inject
    ProducerTemplate producer;
    @Inject
    org.apache.camel.CamelContext camel;

    /**
     * The MES has no inbound spoke yet: this test-only route publishes as the MES would. (The publish step reads
     * the id of the route it runs in, so it is called from a route, not straight from a ProducerTemplate.)
     */
    @BeforeEach
    void mesPublishRoute() throws Exception {
        if (camel.getRoute("test-mes-publish") == null) {
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:test-mes-publish").routeId("test-mes-publish").to("bean:hub?method=publish");
                }
            });
        }
    }

    @BeforeEach
    void mesAccepts() {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/quality-results")).willReturn(aResponse().withStatus(201)));
        Destinations.mes().stubFor(post(urlEqualTo("/api/alarms")).willReturn(aResponse().withStatus(201)));
    }

    @Test
    void anInspectionRowReachesTheMesInItsFormatAndIsMarkedExportedAfterTheCommit() throws SQLException {
        String lot = nextLot();
        long row = insertInspection(lot, "MAT-4711", "R", "2026-12-02 16:00:00");

        Settle.awaitAndHold(Duration.ofSeconds(20), () ->
                Destinations.mes().verify(1, postRequestedFor(urlEqualTo("/api/quality-results"))
                        .withRequestBody(matchingJsonPath("$.inspectionId", WireMock.equalTo(lot)))
                        .withRequestBody(matchingJsonPath("$.productCode", WireMock.equalTo("MAT-4711")))
                        .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo("1000123")))
                        .withRequestBody(matchingJsonPath("$.disposition", WireMock.equalTo("HOLD")))
                        .withRequestBody(matchingJsonPath("$.inspectedAt", WireMock.equalTo("2026-12-02T16:00:00Z")))
                        .withRequestBody(matchingJsonPath("$.checks[0].name", WireMock.equalTo("diameter")))
                        .withRequestBody(matchingJsonPath("$.checks[0].passed", WireMock.equalTo("false")))));
        assertEquals("Y", exported(row));
        given().queryParam("source", "qms").queryParam("businessKey", lot).get("/api/messages").then()
                .body("", hasSize(1)).body("[0].type", equalTo("QualityInspection"));
        String id = given().queryParam("businessKey", lot).get("/api/messages").then().extract().path("[0].id");
        given().get("/api/messages/" + id).then().body("envelope.sourcemessageid", equalTo("inspection-" + row))
                .body("envelope.source", equalTo("/plants/P1/systems/qms"));
    }

    @Test
    void aProductionPerformanceIsInsertedAsAQmsRowOnceEvenWhenPublishedTwice() throws SQLException {
        String order = "PO-" + nextLot();
        String performance = """
                {"orderNumber": "%s", "plant": "P1", "material": "MAT-4711", "operation": "10", "yield": 480,
                 "scrap": 20, "unit": "EA", "final": true, "reportedAt": "2026-12-02T14:30:00Z",
                 "lots": [{"lot": "L-1", "quantity": 480}]}""".formatted(order);
        PublishResult first = publishAsMes(performance, "mes-conf-" + order);
        PublishResult again = publishAsMes(performance, "mes-conf-" + order);
        assertEquals(first.id(), again.id());
        assertTrue(again.duplicate());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                // The ERP receives production results too; this test is about the QMS delivery.
                given().get("/api/messages/" + first.id()).then()
                        .body("deliveries.find { it.destination == 'qms' }.status", equalTo("DELIVERED")));
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl());
             PreparedStatement s = c.prepareStatement("SELECT message_id, plant, material_no, operation_no, good_qty, "
                     + "scrap_qty, uom, final_flag, CAST(reported_at AS CHAR) FROM production_result WHERE order_no = ?")) {
            s.setString(1, order);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "a production_result row for " + order);
                assertEquals(first.id(), r.getString(1));
                assertEquals("P1", r.getString(2));
                assertEquals("MAT-4711", r.getString(3));
                assertEquals("10", r.getString(4));
                assertEquals(0, new BigDecimal("480").compareTo(r.getBigDecimal(5)));
                assertEquals(0, new BigDecimal("20").compareTo(r.getBigDecimal(6)));
                assertEquals("EA", r.getString(7));
                assertEquals("Y", r.getString(8));
                assertEquals("2026-12-02 14:30:00", r.getString(9));
                assertTrue(!r.next(), "one row only");
            }
        }
        // A replay (e.g. after a crash between insert and record) inserts nothing new.
        given().queryParam("destination", "qms").post("/api/messages/" + first.id() + "/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/api/messages/" + first.id()).then()
                        .body("deliveries.find { it.destination == 'qms' }.attempts", equalTo(2))
                        .body("deliveries.find { it.destination == 'qms' }.status", equalTo("DELIVERED")));
        assertEquals(1, count("SELECT COUNT(*) FROM production_result WHERE order_no = '" + order + "'"));
    }

    @Test
    void aRowMissingARequiredFieldIsReportedWithItsDiagnosticsAndTheOthersFlow() throws SQLException {
        String bad = nextLot();
        String good = nextLot();
        long badRow = insertInspection(bad, null, "A", "2026-12-02 17:00:00");
        long goodRow = insertInspection(good, "MAT-4711", "A", "2026-12-02 17:00:01");

        Settle.awaitAndHold(Duration.ofSeconds(20), () -> {
            Destinations.mes().verify(1, postRequestedFor(urlEqualTo("/api/quality-results"))
                    .withRequestBody(matchingJsonPath("$.inspectionId", WireMock.equalTo(good))));
            assertEquals("E", exported(badRow));
        });
        assertEquals("Y", exported(goodRow));
        given().queryParam("source", "qms").get("/api/rejections").then().statusCode(200)
                .body("findAll { it.sourceMessageId == 'inspection-" + badRow + "' }", hasSize(1))
                .body("find { it.sourceMessageId == 'inspection-" + badRow + "' }.reason", equalTo("schema"))
                .body("find { it.sourceMessageId == 'inspection-" + badRow + "' }.routeId", equalTo("qms-in-inspections"))
                .body("find { it.sourceMessageId == 'inspection-" + badRow + "' }.diagnostics.violations.path",
                        hasItem("$.material"))
                .body("find { it.sourceMessageId == 'inspection-" + badRow + "' }.input", org.hamcrest.Matchers.containsString(bad));
        given().queryParam("businessKey", bad).get("/api/messages").then().body("", hasSize(0));
        Destinations.mes().verify(0, postRequestedFor(urlEqualTo("/api/quality-results"))
                .withRequestBody(matchingJsonPath("$.inspectionId", WireMock.equalTo(bad))));
    }

    @Test
    void aMariaDbRestartDuringTrafficLosesNoRowAndJournalsEachOnce() throws Exception {
        List<String> lots = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String lot = nextLot();
            lots.add(lot);
            insertInspection(lot, "MAT-4711", "A", "2026-12-03 08:00:00");
        }
        Spokes.mariaDb().restart(Duration.ofMillis(1500));
        for (int i = 0; i < 10; i++) {
            String lot = nextLot();
            lots.add(lot);
            insertWithRetry(lot);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(0, count("SELECT COUNT(*) FROM inspection_result WHERE exported = 'N'")));
        for (String lot : lots) {
            given().queryParam("source", "qms").queryParam("businessKey", lot).get("/api/messages").then()
                    .body("", hasSize(1));
        }
        Settle.awaitAndHold(Duration.ofSeconds(30), () -> {
            Map<String, Integer> seen = new HashMap<>();
            Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/quality-results"))).forEach(r ->
                    seen.merge(String.valueOf(io.restassured.path.json.JsonPath.from(r.getBodyAsString()).getString("inspectionId")), 1, Integer::sum));
            for (String lot : lots) {
                assertEquals(1, seen.getOrDefault(lot, 0), "deliveries of " + lot);
            }
        });
    }

    private PublishResult publishAsMes(String performance, String sourceMessageId) {
        return producer.requestBodyAndHeaders("direct:test-mes-publish", performance, Map.of(
                Hub.SOURCE_SYSTEM, "mes", Hub.TYPE, "ProductionPerformance", Hub.SOURCE_MESSAGE_ID, sourceMessageId),
                PublishResult.class);
    }

    private static String nextLot() {
        return "IL-" + Spokes.RUN + "-" + LOT.incrementAndGet();
    }

    private static void insertWithRetry(String lot) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> insertInspection(lot, "MAT-4711", "A", "2026-12-03 08:00:00") > 0);
    }

    static long insertInspection(String lot, String material, String decision, String at) throws SQLException {
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl());
             PreparedStatement s = c.prepareStatement("INSERT INTO inspection_result (lot_no, plant, material_no, order_no, "
                     + "batch_no, decision, characteristic, measured_value, unit, lower_limit, upper_limit, inspected_at) "
                     + "VALUES (?, 'P1', ?, '1000123', 'L-1000123-02', ?, 'diameter', 12.09, 'MMT', 11.95, 12.05, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, lot);
            s.setString(2, material);
            s.setString(3, decision);
            s.setString(4, at);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static String exported(long row) throws SQLException {
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl());
             PreparedStatement s = c.prepareStatement("SELECT exported FROM inspection_result WHERE inspection_id = ?")) {
            s.setLong(1, row);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = QmsDatabase.connect(Spokes.qmsUrl()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
