package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.MtlsDestinations;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outbound mTLS against real HTTPS servers that require a client certificate of the plant CA: the right
 * certificate is delivered; a certificate of another CA, or none, is refused by the destination's TLS and the
 * delivery parked DEAD at once (REFUSED, no retries); a destination whose server certificate Weft does not trust
 * gets nothing, and the attempt says so.
 */
@QuarkusTest
@TestProfile(OutboundMtlsTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundMtlsTest {
    private static final Duration FLOW = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.h2());
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MtlsDestinations.class));
        }
    }

    private static JsonPath delivery(String id, String destination) {
        String path = "deliveries.find { it.destination == '" + destination + "' }";
        return new JsonPath(given().get("/api/messages/" + id).then().statusCode(200).extract().asString())
                .setRootPath(path);
    }

    private static JsonPath awaitParkedOrDelivered(String id, String destination) {
        await().atMost(FLOW).until(() -> {
            String status = delivery(id, destination).getString("status");
            return "DEAD".equals(status) || "DELIVERED".equals(status);
        });
        return delivery(id, destination);
    }

    @Test
    @Order(1)
    void theRightClientCertificateIsDelivered() {
        String id = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        JsonPath mes = awaitParkedOrDelivered(id, "mes");
        assertEquals("DELIVERED", mes.getString("status"), mes.prettify());
        assertTrue(MtlsDestinations.received().stream().anyMatch(r -> r.startsWith("mes ") && r.contains("CN=weft-p1")),
                MtlsDestinations.received().toString());
    }

    @Test
    @Order(2)
    void aCertificateOfAnotherCaIsRefusedAndParked() throws Exception {
        String id = given().contentType("application/json").body("""
                {"EBELN": "45%s", "LIFNR": "SUP-88", "WERKS": "P1", "BEDAT": "2026-11-20", "WAERS": "EUR",
                 "ITEMS": [{"EBELP": 10, "MATNR": "MAT-4711", "MENGE": 1000, "MEINS": "PC", "EINDT": "2026-11-28"}]}"""
                .formatted(Orders.nextOrderNumber())).post("/inbound/erp/purchase-orders").then().statusCode(202)
                .extract().path("id");
        assertParkedAfterOneAttempt(id, "supplier", "refused Weft's client certificate");
    }

    @Test
    @Order(3)
    void noClientCertificateIsRefusedAndParked() throws Exception {
        String id = given().contentType("application/json").body("""
                {"orderId": "SO-%s", "account": {"id": "C-1001", "name": "Example Tools Ltd"}, "createdAt": "2026-11-25",
                 "deliveryPlant": "P1", "wantedBy": "2026-12-10", "stage": "open",
                 "items": [{"pos": 10, "product": "MAT-4711", "qty": 100, "uom": "PCS"}]}""".formatted(Orders.nextOrderNumber()))
                .post("/inbound/crm/sales-orders").then().statusCode(202).extract().path("id");
        assertParkedAfterOneAttempt(id, "erp", "client certificate");
    }

    @Test
    @Order(4)
    void aServerCertificateWeftDoesNotTrustGetsNothing() throws Exception {
        MtlsDestinations.mesPresentsForeignCertificate();
        String id = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        assertParkedAfterOneAttempt(id, "mes", "server certificate is not trusted");
    }

    private static long received(String destination) {
        return MtlsDestinations.received().stream().filter(r -> r.startsWith(destination + " ")).count();
    }

    private static void assertParkedAfterOneAttempt(String id, String destination, String diagnostic) throws Exception {
        long before = received(destination);
        JsonPath d = awaitParkedOrDelivered(id, destination);
        assertEquals("DEAD", d.getString("status"), d.prettify());
        Thread.sleep(1500); // longer than the profile's backoff: no further attempt comes
        d = delivery(id, destination);
        assertEquals(1, d.getInt("attempts"), d.prettify());
        assertEquals("REFUSED", d.getString("attemptLog[0].outcomeClass"), d.prettify());
        String message = d.getString("attemptLog[0].errorMessage");
        assertTrue(message != null && message.startsWith("TLS: ") && message.contains(diagnostic), d.prettify());
        assertEquals(before, received(destination), "the destination received nothing: " + MtlsDestinations.received());
    }
}
