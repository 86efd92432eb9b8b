package io.weft.inbound;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * Every kind of bad input answers 4xx application/problem+json naming the problem, stores nothing, and the
 * hub goes on serving (checked after each test by accepting a good order).
 */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class BadInputTest {
    private final String order = Orders.nextOrderNumber();

    @AfterEach
    void nothingJournaledAndStillServing() {
        given().queryParam("businessKey", order).get("/api/messages").then().statusCode(200).body("", hasSize(0));
        Orders.post(Orders.erpOrder(Orders.nextOrderNumber(), "P1")).then().statusCode(202);
    }

    @Test
    void malformedJsonIs400NamingWhereItBreaks() {
        problem(Orders.post("{\"AUFNR\": \"" + order + "\", \"WERKS\": "), 400, "malformed-json")
                .body("detail", containsString("line 1"));
    }

    @Test
    void aWrongContentTypeIs415() {
        problem(given().contentType("text/plain").body(Orders.erpOrder(order, "P1")).post("/inbound/erp/production-orders"),
                415, "unsupported-media-type").body("detail", containsString("text/plain"));
        problem(given().body(Orders.erpOrder(order, "P1").getBytes()).post("/inbound/erp/production-orders"),
                415, "unsupported-media-type");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String padding = "x".repeat(1024 * 1024);
        String body = "{\"AUFNR\": \"" + order + "\", \"PAD\": \"" + padding + "\"}";
        problem(Orders.post(body), 413, "body-too-large").body("detail", containsString("1048576"));
    }

    @Test
    void anEmptyBodyIs400() {
        problem(Orders.post(""), 400, "empty-body");
    }

    @Test
    void aMessageFailingItsMappingIs422NamingTheMappingFile() {
        // STATUS must be a code: a number makes the mapping's $lookup fail.
        String body = Orders.erpOrder(order, "P1").replace("\"STATUS\": \"REL\"", "\"STATUS\": 42");
        problem(Orders.post(body), 422, "mapping-failed")
                .body("detail", containsString("erp/v1/ProductionOrder.in.jsonata"))
                .body("errors[0].mapping", equalTo("erp/v1/ProductionOrder.in.jsonata"))
                .body("errors[0].expression", containsString("$lookup($status, STATUS)"))
                .body("errors[0].input", hasItem("$.STATUS"));
    }

    @Test
    void aMessageFailingTheSchemaIs422NamingTheFieldAndRule() {
        String body = Orders.erpOrder(order, "P1").replace("\"GAMNG\": 500", "\"GAMNG\": -5")
                .replace("\"GSTRP\": \"2026-12-01\"", "\"GSTRP\": \"first of December\"");
        problem(Orders.post(body), 422, "schema-violation")
                .body("errors.path", hasItem("$.quantity"))
                .body("errors.rule", hasItem("exclusiveMinimum"))
                .body("errors.path", hasItem("$.plannedStart"))
                .body("errors.rule", hasItem("format"));
    }

    @Test
    void aMessageMissingARequiredFieldIs422NamingIt() {
        String body = Orders.erpOrder(order, "P1").replace("\"MATNR\": \"MAT-4711\", ", "");
        problem(Orders.post(body), 422, "schema-violation")
                .body("errors.rule", hasItem("required"))
                .body("detail", containsString("material"));
    }

    @Test
    void unknownPathsAre404() {
        problem(given().contentType("application/json").body("{}").post("/inbound/erp/no-such-resource"), 404,
                "unknown-inbound").body("detail", containsString("erp-in-no-such-resource"));
        problem(given().contentType("application/json").body("{}").post("/inbound/nobody/orders"), 404, "unknown-inbound");
        problem(given().get("/no/such/page"), 404, "not-found");
        problem(given().get("/api/messages/01933a6e-7c1f-7a2b-9c3d-4e5f60718293"), 404, "unknown-message");
        problem(given().post("/api/messages/01933a6e-7c1f-7a2b-9c3d-4e5f60718293/replay"), 404, "unknown-message");
        problem(given().get("/api/messages/no-such-id"), 400, "bad-message-id").body("detail", containsString("UUID"));
        problem(given().post("/api/messages/no-such-id/replay"), 400, "bad-message-id");
    }

    @Test
    void badOperationsQueriesAre400() {
        problem(given().queryParam("status", "LOST").get("/api/messages"), 400, "bad-parameter")
                .body("detail", containsString("DEAD"));
        problem(given().queryParam("since", "yesterday").get("/api/messages"), 400, "bad-parameter")
                .body("title", containsString("since"));
        problem(given().queryParam("limit", "0").get("/api/messages"), 400, "bad-parameter");
        problem(given().queryParam("status", "GONE").get("/api/deliveries"), 400, "bad-parameter");
    }

    private static ValidatableResponse problem(io.restassured.response.Response response, int status, String slug) {
        return response.then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("type", endsWith("/" + slug))
                .body("title", org.hamcrest.Matchers.notNullValue());
    }
}
