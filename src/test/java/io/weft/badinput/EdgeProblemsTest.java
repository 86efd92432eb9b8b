package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.weft.badinput.CaseBook.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each kind of bad input is answered with, by name: the problem type and a detail that says what is wrong
 * (the generated suite checks only that it is some complete 4xx). The cases of issue 9: deep JSON (once a 500),
 * an over-long X-Correlation-Id (once a 503 with Retry-After), huge numbers, invalid UTF-8, a business key the
 * journal cannot hold, a foreign charset, odd operations parameters.
 */
@QuarkusTest
@TestProfile(TestStores.H2.class)
class EdgeProblemsTest {
    private static final String ORDERS = "/inbound/erp/production-orders";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @Test
    void jsonNestedDeeperThanTheLimitIs400TooDeep() {
        String order = Orders.erpOrder(Orders.nextOrderNumber(), "P1");
        String deep = order.replace("\"GAMNG\": 500", "\"GAMNG\": " + "[".repeat(2000) + "]".repeat(2000));
        JsonNode p = problem(WeftHttp.send("POST", ORDERS, JSON, utf8(deep)), 400, "too-deep");
        assertTrue(p.path("detail").asText().contains("deeper than 64"), p.toString());
    }

    @Test
    void anOverLongCorrelationIdIs400NamingTheHeaderAndLimitNot503() {
        WeftHttp.Answer answer = WeftHttp.send("POST", ORDERS, Map.of("Content-Type", "application/json",
                "X-Correlation-Id", "c".repeat(65)), utf8(Orders.erpOrder(Orders.nextOrderNumber(), "P1")));
        JsonNode p = problem(answer, 400, "bad-header");
        assertTrue(p.path("detail").asText().contains("X-Correlation-Id is 65 characters long; at most 64"), p.toString());
    }

    @Test
    void numbersNoDoubleHoldsAre400() {
        for (String number : new String[]{"1e999999", "9".repeat(400)}) {
            String body = Orders.erpOrder(Orders.nextOrderNumber(), "P1").replace("\"GAMNG\": 500", "\"GAMNG\": " + number);
            JsonNode p = problem(WeftHttp.send("POST", ORDERS, JSON, utf8(body)), 400, "number-out-of-range");
            assertTrue(p.path("detail").asText().contains("line 1"), p.toString());
        }
        String longest = Orders.erpOrder(Orders.nextOrderNumber(), "P1").replace("\"GAMNG\": 500", "\"GAMNG\": " + "9".repeat(5000));
        problem(WeftHttp.send("POST", ORDERS, JSON, utf8(longest)), 400, "malformed-json");
    }

    @Test
    void invalidUtf8Is400NamingTheByte() {
        byte[] body = JsonCases.insert(utf8(Orders.erpOrder(Orders.nextOrderNumber(), "P1")), 10, new byte[]{(byte) 0xC3, 0x28});
        JsonNode p = problem(WeftHttp.send("POST", ORDERS, JSON, body), 400, "invalid-utf8");
        assertTrue(p.path("detail").asText().contains("byte offset 10"), p.toString());
    }

    @Test
    void aBusinessKeyTheJournalCannotHoldIs422NamingTheField() {
        String body = Orders.erpOrder("K-\\u0000-" + Orders.nextOrderNumber(), "P1");
        JsonNode p = problem(WeftHttp.send("POST", ORDERS, JSON, utf8(body)), 422, "unstorable-value");
        assertTrue(p.path("errors").path(0).path("field").asText().contains("business key $.orderNumber"), p.toString());
        assertEquals(256, p.path("errors").path(0).path("limit").asInt());
    }

    @Test
    void aForeignCharsetIs415UnlessTheBodyIsPlainAscii() {
        String order = Orders.erpOrder(Orders.nextOrderNumber(), "P1");
        JsonNode p = problem(WeftHttp.send("POST", ORDERS, Map.of("Content-Type", "application/json; charset=utf-16"),
                utf8(order)), 415, "unsupported-media-type");
        assertTrue(p.path("detail").asText().contains("utf-16"), p.toString());
        byte[] latin1 = order.replace("MAT-4711", "MAT-\u00e9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        p = problem(WeftHttp.send("POST", ORDERS, Map.of("Content-Type", "application/json; charset=ISO-8859-1"), latin1),
                415, "unsupported-media-type");
        assertTrue(p.path("detail").asText().contains("not plain ASCII"), p.toString());
        // The label HTTP clients add on their own, on an ASCII body: read as the UTF-8 it also is.
        assertEquals(202, WeftHttp.send("POST", ORDERS, Map.of("Content-Type", "application/json; charset=ISO-8859-1"),
                utf8(order)).status());
    }

    @Test
    void oddOperationsParametersAre400NamingTheParameter() {
        assertTrue(problem(WeftHttp.get("/api/messages?since=%2B10000-01-01T00:00:00Z"), 400, "bad-parameter")
                .path("detail").asText().startsWith("since must be between the years 1 and 9999"));
        assertTrue(problem(WeftHttp.get("/api/messages?businessKey=" + "k".repeat(257)), 400, "bad-parameter")
                .path("detail").asText().contains("at most 256"));
        assertTrue(problem(WeftHttp.get("/api/deliveries?destination=a%00b"), 400, "bad-parameter")
                .path("detail").asText().contains("NUL"));
        problem(WeftHttp.get("/api/messages/not-an-id"), 400, "bad-message-id");
        problem(WeftHttp.send("POST", "/api/messages/not-an-id/replay", Map.of(), null), 400, "bad-message-id");
    }

    private static JsonNode problem(WeftHttp.Answer answer, int status, String slug) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(String.valueOf(answer.contentType()).startsWith("application/problem+json"), answer.contentType());
        assertTrue(answer.json().path("type").asText().endsWith("/" + slug), answer.body());
        assertEquals(status, answer.json().path("status").asInt());
        assertTrue(!answer.json().path("title").asText().isBlank() && !answer.json().path("detail").asText().isBlank());
        return answer.json();
    }
}
