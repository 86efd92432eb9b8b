package io.weft.delivery;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** Retries with backoff, parking DEAD with diagnostics, and replay (profile: 4 attempts, 200 ms initial backoff). */
@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class RetryDeadAndReplayTest {

    @BeforeEach
    void everythingAcceptedUnlessATestSaysOtherwise() {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void aDestinationAnswering503ThenOkGetsTheMessageOnARetry() {
        String order = Orders.nextOrderNumber();
        var maintenance = Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                .willReturn(aResponse().withStatus(503).withBody("maintenance window")));

        String id = Orders.accept(Orders.erpOrder(order, "P1"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[0].httpStatus", equalTo(503)));
        Destinations.mes().removeStub(maintenance);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'mes' }.status", equalTo("DELIVERED")));
        var mes = given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[0].outcome", equalTo("FAILURE"))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[0].responseExcerpt", equalTo("maintenance window"))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[-1].outcome", equalTo("SUCCESS"))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[-1].httpStatus", equalTo(200))
                .extract().<Integer>path("deliveries.find { it.destination == 'mes' }.attempts");
        Destinations.mes().verify(mes, postRequestedFor(urlEqualTo("/api/work-orders"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id)));
        org.junit.jupiter.api.Assertions.assertTrue(mes >= 2, "at least one retry after the 503");
    }

    @Test
    void aDestinationThatKeepsFailingEndsDeadWithEveryAttemptAndReplayDeliversItOnceBack() throws Exception {
        String order = Orders.nextOrderNumber();
        var failing = Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"db locked\"}")));

        String id = Orders.accept(Orders.erpOrder(order, "P1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("message.status", equalTo("DEAD"))
                .body("deliveries.find { it.destination == 'mes' }.status", equalTo("DEAD")));
        given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'wms' }.status", equalTo("DELIVERED"))
                .body("deliveries.find { it.destination == 'mes' }.attempts", equalTo(4))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog", hasSize(4))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog.httpStatus", everyItem(500))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[3].errorMessage", containsString("HTTP 500"))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[3].responseExcerpt", containsString("db locked"))
                .body("deliveries.find { it.destination == 'mes' }.lastError", containsString("500"))
                // Finished deliveries have no next attempt (and so leave the dispatcher's due index).
                .body("deliveries.find { it.destination == 'mes' }.nextAttemptAt", nullValue())
                .body("deliveries.find { it.destination == 'wms' }.nextAttemptAt", nullValue());
        given().queryParam("status", "DEAD").get("/api/deliveries").then().statusCode(200)
                .body("messageId", hasItem(id));
        given().queryParam("status", "DEAD").queryParam("businessKey", order).get("/api/messages").then()
                .body("id", hasItem(id));

        // The MES is fixed; the operator replays the parked delivery.
        Destinations.mes().removeStub(failing);
        given().post("/api/messages/" + id + "/replay").then().statusCode(202).body("requeued", equalTo(java.util.List.of("mes")));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("message.status", equalTo("DELIVERED"))
                .body("deliveries.find { it.destination == 'mes' }.attempts", equalTo(5))
                .body("deliveries.find { it.destination == 'mes' }.lastError", nullValue())
                .body("deliveries.find { it.destination == 'mes' }.nextAttemptAt", nullValue()));
        // Four failed attempts, then the one after the replay.
        Destinations.mes().verify(5, postRequestedFor(urlEqualTo("/api/work-orders")).withHeader("Idempotency-Key", WireMock.equalTo(id)));
        given().get("/api/messages/" + id).then().body("deliveries.find { it.destination == 'wms' }.attempts", equalTo(1));

        // Nothing is DEAD any more, so a plain replay has nothing to do; naming a destination re-sends on purpose:
        // the WMS file of the message is written again under the same name (replaced, not duplicated).
        given().post("/api/messages/" + id + "/replay").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("no DEAD delivery"));
        given().queryParam("destination", "erp").post("/api/messages/" + id + "/replay").then().statusCode(404)
                .contentType("application/problem+json");
        Path file = Destinations.wmsOutbox().resolve("ProductionOrder-" + id + ".csv");
        Files.delete(file);
        given().queryParam("destination", "wms").post("/api/messages/" + id + "/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'wms' }.attempts", equalTo(2))
                .body("deliveries.find { it.destination == 'wms' }.status", equalTo("DELIVERED")));
        org.junit.jupiter.api.Assertions.assertTrue(Files.readString(file).contains(order), "the WMS file is back");
        org.junit.jupiter.api.Assertions.assertEquals(1, Files.list(Destinations.wmsOutbox())
                .filter(f -> f.getFileName().toString().contains(id)).count());
    }

    @Test
    void aPermanentRefusalIsParkedAtOnceWithoutRetrying() {
        String order = Orders.nextOrderNumber();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                .willReturn(aResponse().withStatus(400).withBody("unknown line P1")));
        String id = Orders.accept(Orders.erpOrder(order, "P1"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/messages/" + id).then()
                .body("deliveries.find { it.destination == 'mes' }.status", equalTo("DEAD"))
                .body("deliveries.find { it.destination == 'mes' }.attempts", equalTo(1))
                .body("deliveries.find { it.destination == 'mes' }.attemptLog[0].responseExcerpt", equalTo("unknown line P1")));
    }

    private static org.hamcrest.Matcher<Iterable<? extends Integer>> everyItem(int value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }
}
