package io.weft.delivery;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.weft.testing.Orders;
import io.weft.testing.QmsDatabase;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.weft.delivery.DeliveryChecks.attemptLog;
import static io.weft.delivery.DeliveryChecks.delivery;
import static io.weft.delivery.DeliveryChecks.hasSeries;
import static io.weft.delivery.DeliveryChecks.outcomeClasses;
import static io.weft.delivery.DeliveryChecks.reachability;
import static io.weft.delivery.DeliveryChecks.status;
import static io.weft.delivery.DeliveryPeers.mes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One outcome per attempt, classified by what failed, each from a real peer: the MES's HTTP answers and a reset
 * connection (WireMock), the QMS's MariaDB refusing a value too long and a constraint, a closed port, a mapping
 * that fails. Each: the attempt's outcome class, the delivery's status (DEAD at once, or RETRYING: the MES and the
 * supplier retry only after 30 s in {@link DeliveryProfiles}), and whether the system is shown DOWN.
 */
abstract class OutcomeClasses {

    @ConfigProperty(name = "quarkus.datasource.qms.jdbc.url")
    String qmsUrl;

    @BeforeEach
    void mesAcceptsUnlessATestSaysOtherwise() {
        mes().resetAll();
        mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    @ParameterizedTest(name = "HTTP {0} is {1}, the delivery {2}")
    @CsvSource({"400, REFUSED, DEAD", "409, REFUSED, DEAD", "422, REFUSED, DEAD", "500, TRANSIENT, RETRYING",
        "503, TRANSIENT, RETRYING", "408, TRANSIENT, RETRYING", "425, TRANSIENT, RETRYING", "429, TRANSIENT, RETRYING"})
    void anHttpAnswerIsClassifiedByItsStatus(int httpStatus, String outcomeClass, String deliveryStatus) throws Exception {
        String order = Orders.nextOrderNumber();
        mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                .willReturn(aResponse().withStatus(httpStatus).withBody("answer " + httpStatus)));
        String id = Orders.accept(Orders.erpOrder(order, "P1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of(outcomeClass), outcomeClasses(id, "mes")));
        assertOneAttemptAndStays(id, "mes", deliveryStatus);
        Map<String, Object> attempt = attemptLog(id, "mes").get(0);
        assertEquals(httpStatus, attempt.get("httpStatus"));
        assertEquals("answer " + httpStatus, attempt.get("responseExcerpt"));
        assertEquals("UP", reachability("mes"), "an answer, whatever it is, is not an outage");
        mes().verify(1, postRequestedFor(urlEqualTo("/api/work-orders")).withHeader("Idempotency-Key", WireMock.equalTo(id)));
        assertTrue(hasSeries("weft_deliveries_total", "destination=\"mes\"", "class=\"" + outcomeClass.toLowerCase() + "\""));
    }

    @Test
    void aConnectionResetMidExchangeIsTransientAndNotAnOutage() throws Exception {
        String order = Orders.nextOrderNumber();
        mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String id = Orders.accept(Orders.erpOrder(order, "P1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of("TRANSIENT"), outcomeClasses(id, "mes")));
        assertOneAttemptAndStays(id, "mes", "RETRYING");
        assertNull(attemptLog(id, "mes").get(0).get("httpStatus"));
        assertEquals("UP", reachability("mes"));
    }

    @Test
    void aMappingFailureIsUntranslatableAndParkedAtOnce() throws Exception {
        String order = Orders.nextOrderNumber();
        String id = Orders.accept(Orders.erpOrder(order, "P1").replace("MAT-4711", DeliveryProfiles.UNTRANSLATABLE_MATERIAL));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of("UNTRANSLATABLE"), outcomeClasses(id, "mes")));
        assertOneAttemptAndStays(id, "mes", "DEAD");
        assertTrue(String.valueOf(attemptLog(id, "mes").get(0).get("errorMessage")).contains("no product code"),
                String.valueOf(attemptLog(id, "mes").get(0)));
        mes().verify(0, postRequestedFor(urlEqualTo("/api/work-orders")).withHeader("Idempotency-Key", WireMock.equalTo(id)));
        assertEquals("UP", reachability("mes"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(status(id, "wms")));
    }

    @Test
    void aValueTooLongForTheQmsColumnIsAPermanentDataErrorParkedAtOnce() throws Exception {
        String material = "MAT-" + "7".repeat(DeliveryPeers.QMS_MATERIAL_WIDTH); // fits the canonical 64, not the QMS's 12
        String id = acceptProductionReport(material, 480);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of("PERMANENT"), outcomeClasses(id, "qms")));
        assertOneAttemptAndStays(id, "qms", "DEAD");
        String error = String.valueOf(attemptLog(id, "qms").get(0).get("errorMessage"));
        assertTrue(error.contains("too long") && error.contains("material_no"), error);
        assertNotEquals("DOWN", reachability("qms"), "the QMS answered: it is not down");
        assertEquals(0, qmsRows(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(status(id, "erp")));
    }

    @Test
    void aQmsConstraintViolationIsAPermanentDataErrorAndAValidRowIsStillDelivered() throws Exception {
        String refused = acceptProductionReport("MAT-4711", DeliveryPeers.QMS_MAX_GOOD_QTY + 1);
        String valid = acceptProductionReport("MAT-4711", 480);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(List.of("PERMANENT"), outcomeClasses(refused, "qms"));
            assertEquals(List.of("DELIVERED"), outcomeClasses(valid, "qms"));
        });
        assertOneAttemptAndStays(refused, "qms", "DEAD");
        assertTrue(String.valueOf(attemptLog(refused, "qms").get(0).get("errorMessage")).contains("ck_good_qty"));
        assertEquals(0, qmsRows(refused));
        assertEquals(1, qmsRows(valid));
        assertEquals("UP", reachability("qms"));
    }

    @Test
    void aClosedPortIsUnreachableAndMarksTheSystemDown() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals("UP", reachability("supplier"),
                given().get("/api/systems").asString())); // the probe at start
        DeliveryPeers.closeSupplierPort();
        String id = given().contentType("application/json").body("""
                {"EBELN": "45%s", "LIFNR": "SUP-88", "WERKS": "P1", "BEDAT": "2026-11-20", "WAERS": "EUR",
                 "ITEMS": [{"EBELP": 10, "MATNR": "MAT-4711", "MENGE": 1000, "MEINS": "PC", "EINDT": "2026-11-28",
                 "NETPR": 1.25}]}""".formatted(Orders.nextOrderNumber())).post("/inbound/erp/purchase-orders")
                .then().statusCode(202).extract().path("id");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of("UNREACHABLE"), outcomeClasses(id, "supplier")));
        assertOneAttemptAndStays(id, "supplier", "RETRYING");
        assertEquals("DOWN", reachability("supplier"));
        String lastError = given().get("/api/systems").then().extract().path("find { it.name == 'supplier' }.lastError");
        assertTrue(lastError.contains("refused"), lastError);
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(status(id, "wms")));
    }

    @Test
    void aFailureInsideTheOutboundRouteThatIsNoneOfTheAboveIsTransientAndNotAnOutage() throws Exception {
        // The WMS's outbox folder is replaced by a plain file: the route's file write fails (not HTTP, not a
        // connection, not data), which says nothing about the WMS being down.
        Path outbox = DeliveryPeers.wmsOutbox();
        Path moved = outbox.resolveSibling("outbox-away");
        Files.move(outbox, moved);
        Files.writeString(outbox, "not a folder");
        try {
            String id = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P2")); // plant P2: WMS only
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of("TRANSIENT"), outcomeClasses(id, "wms")));
            assertOneAttemptAndStays(id, "wms", "RETRYING");
            assertNotEquals("DOWN", reachability("wms"));
        } finally {
            Files.delete(outbox);
            Files.move(moved, outbox);
        }
    }

    /** One attempt recorded, the delivery in {@code expected}; a second later still so (no second attempt). */
    private static void assertOneAttemptAndStays(String id, String destination, String expected) throws InterruptedException {
        for (int check = 0; check < 2; check++) {
            Map<String, Object> d = delivery(id, destination);
            assertEquals(expected, d.get("status"), String.valueOf(d));
            assertEquals(1, d.get("attempts"));
            assertEquals(1, ((List<?>) d.get("attemptLog")).size());
            if (expected.equals("RETRYING")) {
                assertNotNull(d.get("nextAttemptAt"));
            } else {
                assertNull(d.get("nextAttemptAt"));
                assertNotNull(d.get("lastError"));
            }
            Thread.sleep(1000);
        }
    }

    private static String acceptProductionReport(String material, int goodQty) {
        String body = """
                {"workOrderId": "%s", "line": "P1", "productCode": "%s", "operation": 10, "goodQty": %d,
                 "scrapQty": 20, "unit": "EA", "status": "COMPLETED", "reportedAt": "2026-12-03T14:30:00Z"}"""
                .formatted(Orders.nextOrderNumber(), material, goodQty);
        return given().contentType("application/json").body(body).post("/inbound/mes/production-performance")
                .then().statusCode(202).extract().path("id");
    }

    private int qmsRows(String messageId) throws Exception {
        String url = qmsUrl.substring(0, qmsUrl.indexOf('?'));
        try (Connection c = QmsDatabase.connect(url);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM production_result WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
