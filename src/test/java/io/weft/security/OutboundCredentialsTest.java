package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Auth;
import io.weft.testing.Management;
import io.weft.testing.Orders;
import io.weft.testing.SecuredDestinations;
import io.weft.testing.TestStores;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weft presents each destination its own credentials (HTTP basic to the MES, an API key header to the
 * supplier portal, an OAuth2 client-credentials token to the ERP: issued, cached, refreshed after expiry, one
 * refresh on a 401); wrong credentials park the delivery at once. Last, after all of it: no secret value is
 * in the log, the journal, the attempts, the audit, the metrics or the OpenAPI document.
 */
@QuarkusTest
@TestProfile(OutboundCredentialsTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundCredentialsTest {
    private static final Duration FLOW = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.TestStores.h2());
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path", "target/outbound-credentials-" + UUID.randomUUID() + ".log");
            config.put("quarkus.log.category.\"io.weft\".level", "DEBUG");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredDestinations.class));
        }
    }

    private static String deliveryStatus(String id, String destination) {
        return given().get("/api/messages/" + id).then().statusCode(200).extract()
                .path("deliveries.find { it.destination == '" + destination + "' }.status");
    }

    private static void awaitStatus(String id, String destination, String status) {
        await().atMost(FLOW).until(() -> status.equals(deliveryStatus(id, destination)));
    }

    private static int attempts(String id, String destination) {
        return given().get("/api/messages/" + id).then().extract()
                .path("deliveries.find { it.destination == '" + destination + "' }.attempts");
    }

    private static String salesOrder() {
        return given().contentType("application/json").body("""
                {"orderId": "SO-%s", "account": {"id": "C-1001", "name": "Example Tools Ltd"}, "createdAt": "2026-11-25",
                 "deliveryPlant": "P1", "wantedBy": "2026-12-10", "stage": "open",
                 "items": [{"pos": 10, "product": "MAT-4711", "qty": 100, "uom": "PCS"}]}""".formatted(Orders.nextOrderNumber()))
                .post("/inbound/crm/sales-orders").then().statusCode(202).extract().path("id");
    }

    @Test
    @Order(1)
    void theMesReceivesHttpBasic() {
        var mes = SecuredDestinations.mes();
        mes.resetAll();
        mes.stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1).withHeader("Authorization",
                equalTo(SecuredDestinations.basic(SecuredDestinations.MES_USER, SecuredDestinations.MES_PASSWORD)))
                .willReturn(aResponse().withStatus(201)));
        mes.stubFor(post(urlEqualTo("/api/work-orders")).atPriority(9).willReturn(aResponse().withStatus(401)));
        String id = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        awaitStatus(id, "mes", "DELIVERED");
        assertEquals(1, attempts(id, "mes"));
    }

    @Test
    @Order(2)
    void theSupplierPortalReceivesItsApiKeyHeader() {
        var supplier = SecuredDestinations.supplier();
        supplier.stubFor(post(urlEqualTo("/purchase-orders")).atPriority(1)
                .withHeader(SecuredDestinations.SUPPLIER_KEY_HEADER, equalTo(SecuredDestinations.SUPPLIER_KEY))
                .willReturn(aResponse().withStatus(200)));
        supplier.stubFor(post(urlEqualTo("/purchase-orders")).atPriority(9).willReturn(aResponse().withStatus(401)));
        String id = given().contentType("application/json").body("""
                {"EBELN": "45%s", "LIFNR": "SUP-88", "WERKS": "P1", "BEDAT": "2026-11-20", "WAERS": "EUR",
                 "ITEMS": [{"EBELP": 10, "MATNR": "MAT-4711", "MENGE": 1000, "MEINS": "PC", "EINDT": "2026-11-28"}]}"""
                .formatted(Orders.nextOrderNumber())).post("/inbound/erp/purchase-orders").then().statusCode(202)
                .extract().path("id");
        awaitStatus(id, "supplier", "DELIVERED");
        assertEquals(1, attempts(id, "supplier"));
    }

    @Test
    @Order(3)
    void theErpReceivesAnOAuth2TokenThatIsCachedAndRefreshedAfterExpiry() throws Exception {
        int before = SecuredDestinations.tokenCalls();
        String first = salesOrder();
        String second = salesOrder();
        awaitStatus(first, "erp", "DELIVERED");
        awaitStatus(second, "erp", "DELIVERED");
        assertTrue(SecuredDestinations.tokenCalls() - before <= 1,
                "two deliveries in a token's lifetime fetched " + (SecuredDestinations.tokenCalls() - before) + " tokens");

        Thread.sleep(SecuredDestinations.TOKEN_SECONDS * 1000L + 500);
        int beforeExpiry = SecuredDestinations.tokenCalls();
        String third = salesOrder();
        awaitStatus(third, "erp", "DELIVERED");
        assertEquals(beforeExpiry + 1, SecuredDestinations.tokenCalls(), "an expired token is fetched again");
        assertEquals(1, attempts(third, "erp"));
    }

    @Test
    @Order(4)
    void aTokenTheErpRefusesIsRefreshedOnceAndTheDeliveryGoesThrough() {
        String warm = salesOrder();
        awaitStatus(warm, "erp", "DELIVERED");
        List<String> issued = SecuredDestinations.issuedTokens();
        String current = issued.get(issued.size() - 1);
        SecuredDestinations.revoke(current);
        int before = SecuredDestinations.tokenCalls();
        String id = salesOrder();
        awaitStatus(id, "erp", "DELIVERED");
        assertEquals(1, attempts(id, "erp"), "the refresh is part of the one attempt");
        assertEquals(before + 1, SecuredDestinations.tokenCalls());
        List<String> requests = SecuredDestinations.erpRequests();
        assertTrue(requests.contains(current + " refused"), requests.toString());
        assertTrue(requests.get(requests.size() - 1).endsWith(" accepted"), requests.toString());
    }

    @Test
    @Order(5)
    void wrongCredentialsAreParkedNotRetried() throws Exception {
        // The MES's password was changed on its side: Weft's is now wrong.
        var mes = SecuredDestinations.mes();
        mes.resetAll();
        mes.stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1).withHeader("Authorization",
                equalTo(SecuredDestinations.basic(SecuredDestinations.MES_USER, "a-new-password")))
                .willReturn(aResponse().withStatus(201)));
        mes.stubFor(post(urlEqualTo("/api/work-orders")).atPriority(9).willReturn(aResponse().withStatus(401)));
        String order = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        awaitStatus(order, "mes", "DEAD");
        // The ERP's identity provider no longer knows Weft's client, and the ERP refuses the cached token.
        SecuredDestinations.refuseClient(true);
        try {
            List<String> issued = SecuredDestinations.issuedTokens();
            issued.forEach(SecuredDestinations::revoke);
            String sale = salesOrder();
            awaitStatus(sale, "erp", "DEAD");
            Thread.sleep(1500); // longer than the profile's backoff: no further attempt comes
            assertEquals(1, attempts(order, "mes"));
            assertEquals(1, attempts(sale, "erp"));
            assertEquals("DEAD", deliveryStatus(order, "mes"));
            mes.verify(1, postRequestedFor(urlEqualTo("/api/work-orders")));
        } finally {
            SecuredDestinations.refuseClient(false);
        }
    }

    @Test
    @Order(6)
    void noSecretIsInTheLogJournalAttemptsAuditMetricsOrOpenApi() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(SecuredDestinations.MES_PASSWORD, SecuredDestinations.SUPPLIER_KEY,
                SecuredDestinations.ERP_CLIENT_SECRET, Auth.key("erp"), Auth.key("crm"), Auth.password("admin"),
                SecuredDestinations.basic(SecuredDestinations.MES_USER, SecuredDestinations.MES_PASSWORD).substring(6),
                Base64.getEncoder().encodeToString(("admin:" + Auth.password("admin")).getBytes())));
        secrets.addAll(SecuredDestinations.issuedTokens());
        assertTrue(SecuredDestinations.issuedTokens().size() >= 3, "the flows above ran first");

        Map<String, String> places = new java.util.LinkedHashMap<>();
        places.put("log", Files.readString(Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class))));
        List<String> ids = given().queryParam("limit", "1000").get("/api/messages").then().statusCode(200)
                .extract().path("id");
        StringBuilder journal = new StringBuilder();
        for (String id : ids) {
            journal.append(given().get("/api/messages/" + id).then().statusCode(200).extract().asString());
        }
        assertTrue(ids.size() >= 8, "messages: " + ids.size());
        places.put("journal and attempts", journal.toString());
        places.put("deliveries", given().queryParam("limit", "1000").get("/api/deliveries").then().extract().asString());
        places.put("rejections", given().queryParam("limit", "1000").get("/api/rejections").then().extract().asString());
        places.put("audit", given().queryParam("limit", "1000").get("/api/audit").then().statusCode(200).extract().asString());
        places.put("metrics", Management.given().get("/q/metrics").then().statusCode(200).extract().asString());
        places.put("openapi", Management.given().get("/q/openapi").then().statusCode(200).extract().asString());
        assertTrue(places.get("journal and attempts").contains("HTTP 401"), "the refused attempts are in the journal");
        for (var place : places.entrySet()) {
            for (String secret : secrets) {
                assertTrue(!place.getValue().contains(secret), "a secret (" + secret.substring(0, 4) + "...) is in the "
                        + place.getKey());
            }
        }
    }
}
