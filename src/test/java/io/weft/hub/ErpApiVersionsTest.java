package io.weft.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.weft.testing.Destinations;
import io.weft.testing.Settle;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ERP during an API upgrade: v1 and v2 mappings deployed at once, the version chosen per request by
 * X-Api-Version (default from weft.systems.erp.api-version). Both versions reach the MES identically.
 */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class ErpApiVersionsTest {
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void destinationsAccept() {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));
    }

    @Test
    void v1AndV2OrdersReachTheMesIdenticallyWhileBothMappingsAreDeployed() throws Exception {
        String v1Order = Orders.nextOrderNumber();
        String v2Order = Orders.nextOrderNumber();
        String explicitV1Order = Orders.nextOrderNumber();
        String v1 = Orders.accept(Orders.erpOrder(v1Order, "P1"));
        String v2 = accepted(postVersion(Orders.erpOrderV2(v2Order, "P1"), "2"));
        String explicitV1 = accepted(postVersion(Orders.erpOrder(explicitV1Order, "P1"), "1"));

        Settle.awaitAndHold(Duration.ofSeconds(15), () -> {
            for (String id : new String[]{v1, v2, explicitV1}) {
                Destinations.mes().verify(1, postRequestedFor(urlEqualTo("/api/work-orders"))
                        .withHeader("Idempotency-Key", WireMock.equalTo(id)));
            }
        });
        JsonNode fromV1 = withoutOrderNumber(mesReceived(v1), "workOrderId");
        assertEquals(fromV1, withoutOrderNumber(mesReceived(v2), "workOrderId"));
        assertEquals(fromV1, withoutOrderNumber(mesReceived(explicitV1), "workOrderId"));
        // The canonical unit comes from the units lookup: the ERP's PC is EA for everyone else.
        assertEquals("EA", fromV1.path("unit").asText());
        assertEquals("MAT-4711", fromV1.path("productCode").asText());

        JsonNode v1Data = journaledData(v1);
        assertEquals(v1Order, v1Data.path("orderNumber").asText());
        assertEquals(withoutOrderNumber(v1Data, "orderNumber"), withoutOrderNumber(journaledData(v2), "orderNumber"));
    }

    @Test
    void aVersionWithoutAMappingIs422NamingTheVersionsThatHaveOne() {
        postVersion(Orders.erpOrderV2(Orders.nextOrderNumber(), "P1"), "3").then().statusCode(422)
                .contentType("application/problem+json").body("type", endsWith("/mapping-failed"))
                .body("detail", containsString("erp/v3/ProductionOrder.in.jsonata"))
                .body("detail", containsString("[1, 2]"));
        postVersion(Orders.erpOrderV2(Orders.nextOrderNumber(), "P1"), "../1").then().statusCode(400)
                .body("type", endsWith("/bad-api-version"));
    }

    @Test
    void anUnknownUnitIs422NamingTheCodeTheTableTheExpressionAndTheInputPath() {
        String order = Orders.nextOrderNumber();
        postVersion(Orders.erpOrderV2(order, "P1").replace("\"unit\": \"PC\"", "\"unit\": \"XX\""), "2").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/mapping-failed"))
                .body("detail", containsString("unknown code 'XX' in lookup table 'units'"))
                .body("errors[0].mapping", equalTo("erp/v2/ProductionOrder.in.jsonata"))
                .body("errors[0].expression", containsString("$weftLookup('units', quantity.unit)"))
                .body("errors[0].input", hasItem("$.quantity.unit"));
        given().queryParam("businessKey", order).get("/api/messages").then().body("size()", equalTo(0));
    }

    private static Response postVersion(String body, String version) {
        return given().contentType("application/json").header("X-Api-Version", version).body(body)
                .post("/inbound/erp/production-orders");
    }

    private static String accepted(Response response) {
        return response.then().statusCode(202).extract().path("id");
    }

    private JsonNode mesReceived(String id) throws Exception {
        LoggedRequest request = Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/work-orders"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id))).get(0);
        return json.readTree(request.getBodyAsString());
    }

    private JsonNode journaledData(String id) throws Exception {
        return json.readTree(given().get("/api/messages/" + id).then().statusCode(200).extract().asString())
                .path("envelope").path("data");
    }

    private static JsonNode withoutOrderNumber(JsonNode node, String field) {
        ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return copy;
    }
}
