package io.weft.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.weft.testing.Auth;
import io.weft.testing.Management;
import io.weft.testing.Orders;
import io.weft.testing.TestIdentityProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every inbound method, over real HTTP with the JDK's client (so no test helper adds credentials): API keys
 * (the ERP, during a key rotation with two valid keys), tokens from the identity provider (the MES,
 * auth=oidc), another system's identity, missing, wrong, revoked, expired, forged and wrong-audience
 * credentials; each refusal is problem+json, journals nothing, is counted and is in the audit trail.
 * Per-system limits: the CRM over its rate gets 429 while the ERP goes on; publish rights: the supplier is
 * granted only PurchaseOrder (weft.systems.supplier.publishes), so its route publishing ShipmentNotice is refused.
 * Run on both stores by {@link InboundAuthenticationOnH2Test} and {@link InboundAuthenticationOnPostgresTest}.
 */
abstract class InboundAuthentication {
    static final String NEW_ERP_KEY = "rotated-erp-key-2026";
    static final String REVOKED_ERP_KEY = "revoked-erp-key-2025";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The systems' security settings both stores' profiles share. */
    public static Map<String, String> securityConfig() {
        Map<String, String> config = new java.util.HashMap<>(TestIdentityProvider.config());
        // Rotation: the old test key and the new one are both valid; the revoked one is no longer listed.
        config.put("weft.systems.erp.api-keys", KeyHashes.hashKey(Auth.key("erp")) + "," + KeyHashes.hashKey(NEW_ERP_KEY));
        config.put("weft.systems.erp.auth", "api-key,oidc");
        config.put("weft.systems.mes.auth", "oidc");
        config.put("weft.systems.crm.rate-limit", "2");
        config.put("weft.systems.crm.max-body-bytes", "600");
        config.put("weft.systems.supplier.publishes", "PurchaseOrder");
        // Secure by default: a system whose key hashes are not configured is refused, whatever it presents.
        config.put("weft.systems.wms.api-keys", "");
        return config;
    }

    record Answer(int status, String contentType, String wwwAuthenticate, String retryAfter, JsonNode body) {
    }

    static Answer post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("WWW-Authenticate").orElse(null),
                response.headers().firstValue("Retry-After").orElse(null), json);
    }

    static Answer postOrder(String order, String... headers) throws Exception {
        return post("/inbound/erp/production-orders", "application/json", Orders.erpOrder(order, "P1"), headers);
    }

    static Answer postMesReport(String order, String... headers) throws Exception {
        return post("/inbound/mes/production-performance", "application/json", """
                {"workOrderId": "%s", "line": "P1", "productCode": "MAT-4711", "operation": 10, "goodQty": 480,
                 "scrapQty": 20, "unit": "EA", "status": "COMPLETED", "reportedAt": "2026-12-03T14:30:00Z",
                 "lots": [{"lotId": "L-1", "qty": 480}]}""".formatted(order), headers);
    }

    static void assertJournaledNothing(String businessKey) {
        given().queryParam("businessKey", businessKey).get("/api/messages").then().statusCode(200).body("", hasSize(0));
    }

    static void assertUnauthenticated(Answer answer, String businessKey) {
        assertEquals(401, answer.status(), answer.body().toString());
        assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
        assertTrue(answer.wwwAuthenticate() != null && !answer.wwwAuthenticate().isBlank(), "WWW-Authenticate is missing");
        assertEquals(401, answer.body().get("status").asInt());
        assertJournaledNothing(businessKey);
    }

    static void assertForbidden(Answer answer, String businessKey) {
        assertEquals(403, answer.status(), answer.body().toString());
        assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
        assertEquals(403, answer.body().get("status").asInt());
        assertJournaledNothing(businessKey);
    }

    private static double rejected(String system, String reason) {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("weft_inbound_rejected_total{"))
                .filter(l -> l.contains("reason=\"" + reason + "\"") && l.contains("system=\"" + system + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf("} ") + 2).trim().split("\\s+")[0])).sum();
    }

    // --- API keys ------------------------------------------------------------------------------------------

    @Test
    void theErpsKeyIsAccepted() throws Exception {
        Answer answer = postOrder(Orders.nextOrderNumber(), Auth.headers(Auth.erp()));
        assertEquals(202, answer.status(), answer.body().toString());
    }

    @Test
    void duringARotationBothKeysAreValid() throws Exception {
        assertEquals(202, postOrder(Orders.nextOrderNumber(), "X-Api-Key", Auth.key("erp")).status());
        assertEquals(202, postOrder(Orders.nextOrderNumber(), "X-Api-Key", NEW_ERP_KEY).status());
    }

    @Test
    void noCredentialsIs401WithAChallengeAndNothingJournaled() throws Exception {
        double before = rejected("erp", "unauthenticated");
        String order = Orders.nextOrderNumber();
        Answer answer = postOrder(order);
        assertUnauthenticated(answer, order);
        assertTrue(answer.wwwAuthenticate().contains("ApiKey"), answer.wwwAuthenticate());
        assertTrue(answer.wwwAuthenticate().contains("Bearer"), answer.wwwAuthenticate());
        assertEquals(before + 1, rejected("erp", "unauthenticated"));
    }

    @Test
    void aWrongOrRevokedKeyIs401() throws Exception {
        String order = Orders.nextOrderNumber();
        assertUnauthenticated(postOrder(order, "X-Api-Key", "guessed-" + Auth.key("erp")), order);
        assertUnauthenticated(postOrder(order, "X-Api-Key", REVOKED_ERP_KEY), order);
    }

    @Test
    void theCrmsKeyCannotPostAsTheErp() throws Exception {
        double before = rejected("erp", "forbidden");
        String order = Orders.nextOrderNumber();
        Answer answer = postOrder(order, Auth.headers(Auth.system("crm")));
        assertForbidden(answer, order);
        assertTrue(answer.body().get("detail").asText().contains("crm"), answer.body().toString());
        assertEquals(before + 1, rejected("erp", "forbidden"));
    }

    @Test
    void refusalsAreAuditedWithWhereAndWhyButNotTheSecret() throws Exception {
        String wrongKey = "wrong-key-" + System.nanoTime();
        postOrder(Orders.nextOrderNumber(), "X-Api-Key", wrongKey);
        postOrder(Orders.nextOrderNumber(), Auth.headers(Auth.system("crm")));
        String audit = given().queryParam("outcome", "refused").queryParam("limit", "1000").get("/api/audit")
                .then().statusCode(200).extract().asString();
        assertFalse(audit.contains(wrongKey), "the audit trail holds a presented key");
        assertFalse(audit.contains(Auth.key("crm")), "the audit trail holds a presented key");
        List<Map<String, Object>> forbidden = given().queryParam("action", "inbound-forbidden").get("/api/audit")
                .then().statusCode(200).extract().jsonPath().getList("");
        Map<String, Object> last = forbidden.get(0);
        assertEquals("crm", last.get("actor"));
        assertEquals("refused", last.get("outcome"));
        assertEquals("127.0.0.1", last.get("remote"));
        assertEquals("POST /inbound/erp/production-orders", last.get("endpoint"));
        List<Map<String, Object>> unauthenticated = given().queryParam("action", "inbound-unauthenticated")
                .get("/api/audit").then().statusCode(200).extract().jsonPath().getList("");
        assertTrue(String.valueOf(unauthenticated.get(0).get("detail")).contains("not valid"), unauthenticated.toString());
    }

    @Test
    void aSystemWithNoCredentialConfiguredIsRefusedNotOpen() throws Exception {
        Answer answer = post("/inbound/wms/goods-receipts", "application/json", "{}", Auth.headers(Auth.system("wms")));
        assertEquals(401, answer.status(), answer.body().toString());
        assertEquals(401, post("/inbound/wms/goods-receipts", "application/json", "{}").status());
    }

    // --- tokens from the identity provider (the MES authenticates with oidc only) ------------------------------

    @Test
    void theMesTokenIsAccepted() throws Exception {
        String token = TestIdentityProvider.systemToken("mes", TestIdentityProvider.AUDIENCE, 300);
        Answer answer = postMesReport(Orders.nextOrderNumber(), "Authorization", "Bearer " + token);
        assertEquals(202, answer.status(), answer.body().toString());
    }

    @Test
    void anExpiredForgedOrWrongAudienceTokenIs401() throws Exception {
        String order = Orders.nextOrderNumber();
        assertUnauthenticated(postMesReport(order, "Authorization", "Bearer "
                + TestIdentityProvider.systemToken("mes", TestIdentityProvider.AUDIENCE, -120)), order);
        assertUnauthenticated(postMesReport(order, "Authorization", "Bearer "
                + TestIdentityProvider.systemToken("mes", "another-app", 300)), order);
        assertUnauthenticated(postMesReport(order, "Authorization", "Bearer "
                + TestIdentityProvider.forgedToken("mes")), order);
        assertUnauthenticated(postMesReport(order, "Authorization", "Bearer not.a.token"), order);
    }

    @Test
    void theErpsTokenCannotPostAsTheMes() throws Exception {
        String order = Orders.nextOrderNumber();
        assertForbidden(postMesReport(order, "Authorization", "Bearer "
                + TestIdentityProvider.systemToken("erp", TestIdentityProvider.AUDIENCE, 300)), order);
        // The ERP's token is good for the ERP (auth=api-key,oidc).
        assertEquals(202, postOrder(Orders.nextOrderNumber(), "Authorization", "Bearer "
                + TestIdentityProvider.systemToken("erp", TestIdentityProvider.AUDIENCE, 300)).status());
    }

    @Test
    void theMesOwnApiKeyIsRefusedBecauseItAuthenticatesWithOidc() throws Exception {
        String order = Orders.nextOrderNumber();
        Answer answer = postMesReport(order, Auth.headers(Auth.system("mes")));
        assertUnauthenticated(answer, order);
        assertTrue(answer.wwwAuthenticate().startsWith("Bearer"), answer.wwwAuthenticate());
    }

    // --- limits and publish rights --------------------------------------------------------------------------

    @Test
    void aSystemOverItsRateGets429WhileOthersGoOn() throws Exception {
        List<Answer> crm = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            crm.add(post("/inbound/crm/sales-orders", "application/json", "{\"id\": \"" + i + "\"}",
                    Auth.headers(Auth.system("crm"))));
        }
        Answer limited = crm.stream().filter(a -> a.status() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("no 429 among " + crm.stream().map(Answer::status).toList()));
        assertTrue(limited.contentType().startsWith("application/problem+json"));
        assertTrue(Integer.parseInt(limited.retryAfter()) >= 1, limited.retryAfter());
        for (int i = 0; i < 5; i++) {
            assertEquals(202, postOrder(Orders.nextOrderNumber(), Auth.headers(Auth.erp())).status());
        }
    }

    @Test
    void aBodyOverTheSystemsOwnLimitIs413() throws Exception {
        Thread.sleep(1100); // a fresh second of the CRM's rate
        String big = "{\"padding\": \"" + "x".repeat(700) + "\"}";
        Answer answer = post("/inbound/crm/sales-orders", "application/json", big, Auth.headers(Auth.system("crm")));
        assertEquals(413, answer.status(), answer.body().toString());
        assertTrue(answer.body().get("detail").asText().contains("crm"), answer.body().toString());
    }

    @Test
    void aTypeTheSystemIsNotGrantedIsRefused() throws Exception {
        String asn = "ASN-" + System.nanoTime();
        Answer answer = post("/inbound/supplier/shipment-notices", "application/xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <DespatchAdvice>
                  <DespatchId>%s</DespatchId>
                  <Supplier><Id>SUP-88</Id><Name>Acme Fasteners</Name></Supplier>
                  <OrderRef>4500001234</OrderRef>
                  <DeliverTo>P1</DeliverTo>
                  <ShipDate>2026-11-26</ShipDate>
                  <ExpectedArrival>2026-11-28</ExpectedArrival>
                  <Carrier><Name>DHL Freight</Name></Carrier>
                  <Line><No>1</No><Part>SP-88-1002</Part><Qty uom="PCS">1000</Qty><Batch>B-5521</Batch></Line>
                </DespatchAdvice>
                """.formatted(asn), Auth.headers(Auth.system("supplier")));
        assertEquals(403, answer.status(), answer.body().toString());
        assertEquals("https://weft.io/problems/type-not-granted", answer.body().get("type").asText());
        assertTrue(answer.body().get("detail").asText().contains("ShipmentNotice"), answer.body().toString());
        given().queryParam("source", "supplier").get("/api/messages").then().statusCode(200).body("", hasSize(0));
        assertTrue(rejected("supplier", "not_granted") >= 1);
    }
}
