package io.weft.ops;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.restassured.specification.RequestSpecification;
import io.weft.store.Store;
import io.weft.testing.Auth;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pause and resume of a destination, and the bulk replay with preview, through the operations API as an
 * operator: a paused destination's deliveries queue with no attempt; resume delivers them; a preview's
 * confirmation replays its DEAD deliveries once; each action is in the audit trail with the operator's name.
 */
abstract class PauseAndBulkReplay {

    @Inject
    Store store;

    static RequestSpecification as(String operator) {
        return given().header("Authorization", Auth.basic(operator, Auth.password(operator)));
    }

    @BeforeEach
    void theMesAcceptsWorkOrders() {
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(10).willReturn(aResponse().withStatus(201)));
    }

    @AfterEach
    void resumeTheMes() {
        as("operator").post("/api/destinations/mes/resume");
    }

    static Map<String, Object> delivery(String id, String destination) {
        return given().get("/api/messages/" + id).then().statusCode(200).extract()
                .path("deliveries.find { it.destination == '" + destination + "' }");
    }

    @Test
    void aPausedDestinationQueuesWithoutAttemptsAndResumeDeliversTheQueue() throws Exception {
        as("operator").post("/api/destinations/mes/pause").then().statusCode(200)
                .body("name", equalTo("mes")).body("paused", equalTo(true)).body("pausedBy", equalTo("operator"))
                .body("pausedAt", notNullValue());
        String order = Orders.nextOrderNumber();
        String id = Orders.accept(Orders.erpOrder(order, "P1"));
        // The WMS is not paused: its delivery goes; the MES's waits.
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(delivery(id, "wms").get("status")));
        Thread.sleep(1500); // several poll intervals (100 ms) and more than the first backoff
        Map<String, Object> mes = delivery(id, "mes");
        assertEquals("PENDING", mes.get("status"), mes.toString());
        assertEquals(0, mes.get("attempts"), mes.toString());
        Destinations.mes().verify(0, postRequestedFor(urlEqualTo("/api/work-orders"))
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order))));
        given().get("/api/destinations").then().statusCode(200)
                .body("find { it.name == 'mes' }.paused", equalTo(true))
                .body("find { it.name == 'mes' }.pausedBy", equalTo("operator"))
                .body("find { it.name == 'mes' }.queued", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("find { it.name == 'wms' }.paused", equalTo(false));
        given().get("/api/systems").then().body("find { it.name == 'mes' }.paused", equalTo(true));

        as("operator").post("/api/destinations/mes/resume").then().statusCode(200).body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(delivery(id, "mes").get("status")));
        assertEquals(1, delivery(id, "mes").get("attempts"));
        as("admin").queryParam("action", "pause").get("/api/audit").then().statusCode(200)
                .body("[0].actor", equalTo("operator")).body("[0].target", equalTo("destination mes"));
        as("admin").queryParam("action", "resume").get("/api/audit").then()
                .body("[0].actor", equalTo("operator")).body("[0].target", equalTo("destination mes"));
    }

    @Test
    void aViewerMayLookButNotPauseResumeOrReplay() {
        as("viewer").get("/api/destinations").then().statusCode(200);
        as("viewer").get("/api/failures").then().statusCode(200);
        as("viewer").post("/api/destinations/mes/pause").then().statusCode(403).contentType("application/problem+json");
        as("viewer").post("/api/destinations/mes/resume").then().statusCode(403);
        as("viewer").contentType("application/json").body("{\"destination\": \"mes\"}").post("/api/replays/preview")
                .then().statusCode(403);
        as("viewer").post("/api/replays/" + java.util.UUID.randomUUID()).then().statusCode(403);
        given().get("/api/destinations").then().body("find { it.name == 'mes' }.paused", equalTo(false));
    }

    @Test
    void aBulkReplayPreviewsConfirmsOnceAndIsAudited() {
        String first = Orders.nextOrderNumber();
        String second = Orders.nextOrderNumber();
        var refusing = Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.matching(first + "|" + second)))
                .willReturn(aResponse().withStatus(422).withBody("line P1 closed for order " + first)));
        String a = Orders.accept(Orders.erpOrder(first, "P1"));
        String b = Orders.accept(Orders.erpOrder(second, "P1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(delivery(a, "mes").get("status"))
                && "DEAD".equals(delivery(b, "mes").get("status")));

        // Grouped: both refusals have the same cause although their order numbers differ.
        given().get("/api/failures").then().statusCode(200)
                .body("find { it.destination == 'mes' && it.messageIds.contains('" + a + "') }.messageIds", hasItems(a, b))
                .body("find { it.destination == 'mes' && it.messageIds.contains('" + a + "') }.outcomeClass", equalTo("REFUSED"))
                .body("find { it.destination == 'mes' && it.messageIds.contains('" + a + "') }.error", containsString("422"));

        String previewId = as("operator").contentType("application/json")
                .body(Map.of("destination", "mes", "outcomeClass", "REFUSED", "messageIds", List.of(a, b)))
                .post("/api/replays/preview").then().statusCode(200)
                .body("count", equalTo(2)).body("businessKeys", hasItems(first, second))
                .body("destinations", equalTo(List.of("mes"))).body("messageIds", hasItems(a, b))
                .extract().path("previewId");
        // Nothing is replayed by the preview alone.
        assertEquals("DEAD", delivery(a, "mes").get("status"));

        Destinations.mes().removeStub(refusing);
        as("operator").post("/api/replays/" + previewId).then().statusCode(200)
                .body("replayed", equalTo(2)).body("alreadyQueued", equalTo(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(delivery(a, "mes").get("status"))
                && "DELIVERED".equals(delivery(b, "mes").get("status")));
        as("operator").post("/api/replays/" + previewId).then().statusCode(200)
                .body("replayed", equalTo(0)).body("alreadyQueued", equalTo(2));
        assertEquals(2, delivery(a, "mes").get("attempts"));

        as("admin").queryParam("action", "bulk-replay").get("/api/audit").then().statusCode(200)
                .body("[0].actor", equalTo("operator")).body("[0].detail", containsString("0 replayed"))
                .body("[1].actor", equalTo("operator")).body("[1].detail", containsString("2 replayed"))
                .body("[1].detail", containsString("outcomeClass=REFUSED"));
    }

    @Test
    void aPreviewOlderThanFifteenMinutesIsGone() {
        String previewId = as("operator").contentType("application/json").body(Map.of("destination", "erp"))
                .post("/api/replays/preview").then().statusCode(200).extract().path("previewId");
        store.inTransaction(c -> {
            try (var ps = c.prepareStatement("UPDATE replay_preview SET created_at = ? WHERE id = ?")) {
                ps.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofMinutes(16))));
                ps.setString(2, previewId);
                return ps.executeUpdate();
            }
        });
        as("operator").post("/api/replays/" + previewId).then().statusCode(410)
                .contentType("application/problem+json").body("detail", containsString("15 minutes"));
        as("operator").post("/api/replays/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void badInputIsAProblemNamingWhatIsWrong() {
        as("operator").post("/api/destinations/nosuch/pause").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("nosuch"));
        as("operator").post("/api/destinations/No%20Such/pause").then().statusCode(400)
                .contentType("application/problem+json");
        as("operator").contentType("application/json").body("{}").post("/api/replays/preview").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("destination"));
        as("operator").contentType("application/json").body("{\"destination\": \"nosuch\"}").post("/api/replays/preview")
                .then().statusCode(404).contentType("application/problem+json");
        as("operator").contentType("application/json").body("{\"destination\": \"mes\", \"outcomeClass\": \"BAD\"}")
                .post("/api/replays/preview").then().statusCode(400).body("detail", containsString("outcomeClass"));
        as("operator").contentType("application/json").body("{\"destination\": \"mes\", \"from\": \"yesterday\"}")
                .post("/api/replays/preview").then().statusCode(400).body("detail", containsString("from"));
        as("operator").contentType("application/json").body("{\"destination\": \"mes\", \"messageIds\": [\"x\"]}")
                .post("/api/replays/preview").then().statusCode(400).contentType("application/problem+json");
        as("operator").contentType("application/json").body("{\"destination\": [1]}")
                .post("/api/replays/preview").then().statusCode(400).contentType("application/problem+json");
        as("operator").contentType("application/json").body("not json")
                .post("/api/replays/preview").then().statusCode(400).contentType("application/problem+json");
        as("operator").post("/api/replays/not-a-uuid").then().statusCode(400).contentType("application/problem+json");
    }
}
