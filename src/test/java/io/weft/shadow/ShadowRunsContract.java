package io.weft.shadow;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.weft.testing.Auth;
import io.weft.testing.Destinations;
import io.weft.testing.Metrics;
import io.weft.testing.Orders;
import io.weft.testing.Settle;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shadow runs on each store: a candidate MES mapping with one changed field, a WMS candidate that always fails
 * ({@link ShadowProfiles}), legacy comparison, dry runs, and promotion (last: it changes the mappings).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ShadowRunsContract {
    private static final List<Map<String, String>> LINE_ONLY = List.of(Map.of("path", "/line", "live", "\"P1\"",
            "candidate", "\"LINE-P1\""));

    @BeforeEach
    void mesAccepts() {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));
    }

    @Test
    @Order(1)
    void theOneChangedFieldIsTheOnlyDifferenceOnEveryDeliveryAndNothingExtraIsSent() {
        double before = Metrics.baseline("weft_shadow_comparisons_total", "destination=\"mes\"", "outcome=\"different\"");
        List<String> orders = IntStream.range(0, 3).mapToObj(i -> Orders.nextOrderNumber()).toList();
        List<String> ids = orders.stream().map(o -> Orders.accept(Orders.erpOrder(o, "P1"))).toList();

        // The MES gets exactly one request per order, with the live mapping's line, and nothing else (the
        // reachability probe's GET aside, which is no delivery).
        Settle.awaitAndHold(Duration.ofSeconds(20), () -> {
            Destinations.mes().verify(3, postRequestedFor(anyUrl()));
            Destinations.mes().verify(0, anyRequestedFor(anyUrl()).withRequestBody(containing("LINE-")));
            for (String order : orders) {
                Destinations.mes().verify(1, postRequestedFor(urlEqualTo("/api/work-orders"))
                        .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                        .withRequestBody(matchingJsonPath("$.line", WireMock.equalTo("P1"))));
            }
        });
        for (String id : ids) {
            Map<String, Object> run = run("mes", id);
            assertEquals("DIFFERENT", run.get("outcome"), run.toString());
            assertEquals(LINE_ONLY, run.get("differences"), run.toString());
            assertEquals("mes/ProductionOrder.out.jsonata", run.get("liveMapping"));
            assertEquals(ShadowProfiles.MES_CANDIDATE, run.get("candidateMapping"));
        }
        assertEquals(before + 3, Metrics.value("weft_shadow_comparisons_total", "destination=\"mes\"",
                "outcome=\"different\"", "type=\"ProductionOrder\""), 0.001);
        given().queryParam("system", "mes").get("/api/shadow").then().statusCode(200)
                .body("candidates", hasSize(1)).body("candidates[0].candidate", equalTo(ShadowProfiles.MES_CANDIDATE))
                .body("candidates[0].readyToPromote", equalTo(true));
    }

    @Test
    @Order(2)
    void aFailingCandidateCountsAsFailedAndTheLiveDeliveryStillSucceeds() {
        String order = Orders.nextOrderNumber();
        String id = Orders.accept(Orders.erpOrder(order, "P1"));
        WmsFiles.awaitOutboxFile(Destinations.wmsOutbox(), "ProductionOrder", id, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'wms' }.status", equalTo("DELIVERED")));
        Map<String, Object> run = run("wms", id);
        assertEquals("FAILED", run.get("outcome"));
        assertTrue(String.valueOf(run.get("error")).contains("the candidate cannot map " + order), run.toString());
        assertTrue(Metrics.value("weft_shadow_comparisons_total", "destination=\"wms\"", "outcome=\"failed\"") >= 1);
        given().queryParam("system", "wms").get("/api/shadow").then()
                .body("candidates[0].readyToPromote", equalTo(false))
                .body("flows.find { it.type == 'ProductionOrder' }.outcomes.FAILED", org.hamcrest.Matchers.greaterThan(0));
        given().headers(Auth.admin()).post("/api/shadow/wms/promote").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("failed"));
    }

    @Test
    @Order(3)
    void legacyComparisonReportsMatchesAndMismatchesByBusinessKey() {
        String matching = Orders.nextOrderNumber();
        String differing = Orders.nextOrderNumber();
        Orders.accept(Orders.erpOrder(matching, "P1"));
        Orders.accept(Orders.erpOrder(differing, "P1"));
        // What Weft delivers, as the MES received it, stands in for the legacy script's output.
        String delivered = received(matching);
        capture(matching, delivered).then().statusCode(200)
                .body("outcome", equalTo("MATCH")).body("differences", hasSize(0));
        String otherDelivered = received(differing);
        capture(differing, otherDelivered.replaceFirst("\"quantity\"\\s*:\\s*500", "\"quantity\":450")).then().statusCode(200)
                .body("outcome", equalTo("MISMATCH")).body("differences", hasSize(1))
                .body("differences[0].path", equalTo("/quantity")).body("differences[0].weft", equalTo("500"))
                .body("differences[0].legacy", equalTo("450"));
        capture("NO-SUCH-" + differing, delivered).then().statusCode(200)
                .body("outcome", equalTo("NO_MESSAGE"));
        given().queryParam("system", "mes").queryParam("outcome", "MISMATCH").get("/api/shadow/legacy").then()
                .statusCode(200).body("recent.find { it.subject == '" + differing + "' }.differences[0].path",
                        equalTo("/quantity"));
        // Bad input names what is wrong.
        given().contentType("application/json").body("{").post("/inbound/mes/legacy-capture?businessKey=1")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body("{}").post("/inbound/mes/legacy-capture")
                .then().statusCode(400).body("detail", containsString("businessKey"));
    }

    @Test
    @Order(4)
    void aDryRunOverTheJournalReportsTheSameDifferences() {
        List<String> ids = IntStream.range(0, 2).mapToObj(i -> Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1")))
                .toList();
        var report = given().contentType("application/json")
                .body("{\"candidate\": \"" + ShadowProfiles.MES_CANDIDATE + "\", \"type\": \"ProductionOrder\", \"last\": 2}")
                .post("/api/shadow/dry-runs").then().statusCode(200)
                .body("messages", equalTo(2)).body("counts.DIFFERENT", equalTo(2)).body("live",
                        equalTo("mes/ProductionOrder.out.jsonata"))
                .extract().jsonPath();
        assertEquals(List.of(ids.get(1), ids.get(0)), report.getList("results.messageId"));
        assertEquals(List.of(LINE_ONLY, LINE_ONLY), report.getList("results.differences"));
        given().queryParam("action", "shadow-dry-run").get("/api/audit").then().statusCode(200)
                .body("actor", org.hamcrest.Matchers.hasItem("admin"));
        // Bad input: 4xx problems naming the field; operators only.
        given().contentType("application/json").body("{\"candidate\": \"mes/candidate/x.out.jsonata\", "
                + "\"type\": \"ProductionOrder\", \"last\": 2}").post("/api/shadow/dry-runs").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("mes/candidate/x.out.jsonata"));
        given().contentType("application/json").body("{\"candidate\": \"" + ShadowProfiles.MES_CANDIDATE
                + "\", \"type\": \"ProductionOrder\", \"last\": 0}").post("/api/shadow/dry-runs").then().statusCode(400)
                .body("detail", containsString("last"));
        given().contentType("application/json").body("[1]").post("/api/shadow/dry-runs").then().statusCode(400);
        given().headers(Auth.operator("viewer")).contentType("application/json").body("{}")
                .post("/api/shadow/dry-runs").then().statusCode(403);
    }

    @Test
    @Order(100)
    void promotionMakesTheCandidateLive() {
        given().headers(Auth.operator("operator")).post("/api/shadow/mes/promote").then().statusCode(403);
        given().headers(Auth.admin()).post("/api/shadow/no-such/promote").then().statusCode(404)
                .contentType("application/problem+json");
        given().headers(Auth.admin()).post("/api/shadow/mes/promote").then().statusCode(200)
                .body("promoted[0].live", equalTo("mes/ProductionOrder.out.jsonata"))
                .body("promoted[0].retired", containsString("mes/ProductionOrder.out.jsonata.retired-"));
        given().queryParam("action", "shadow-promote").get("/api/audit").then().statusCode(200)
                .body("find { it.target == 'mes' }.actor", equalTo("admin"));
        given().queryParam("system", "mes").get("/api/shadow").then().body("candidates", hasSize(0));

        String order = Orders.nextOrderNumber();
        Orders.accept(Orders.erpOrder(order, "P1"));
        Settle.awaitAndHold(Duration.ofSeconds(20), () -> Destinations.mes().verify(1, postRequestedFor(
                urlEqualTo("/api/work-orders")).withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                .withRequestBody(matchingJsonPath("$.line", WireMock.equalTo("LINE-P1")))));
    }

    /** The body the MES received for an order (waits for it). */
    private static String received(String order) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> Destinations.mes()
                .findAll(postRequestedFor(urlEqualTo("/api/work-orders"))
                        .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order))))
                .stream().map(r -> r.getBodyAsString()).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    private static io.restassured.response.Response capture(String businessKey, String body) {
        return given().contentType("application/json").queryParam("businessKey", businessKey).body(body)
                .post("/inbound/mes/legacy-capture");
    }

    /** The shadow run of one message to one destination, as GET /api/shadow shows it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(String system, String messageId) {
        List<Map<String, Object>> recent = given().queryParam("system", system).queryParam("limit", "500")
                .get("/api/shadow").then().statusCode(200).extract().jsonPath().getList("recent");
        List<Map<String, Object>> mine = recent.stream().filter(r -> messageId.equals(r.get("messageId"))).toList();
        assertEquals(1, mine.size(), "one shadow run of " + messageId + " to " + system + ": " + recent);
        return mine.get(0);
    }
}
