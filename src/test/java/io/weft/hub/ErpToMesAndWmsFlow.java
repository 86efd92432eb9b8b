package io.weft.hub;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.weft.testing.Destinations;
import io.weft.testing.Settle;
import io.weft.testing.Orders;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first flow of the sample plant, on both stores: an ERP production order to the MES over HTTP and to the
 * WMS as a CSV file in its outbox folder.
 */
abstract class ErpToMesAndWmsFlow {

    @BeforeEach
    void destinationsAccept() {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));
    }

    @Test
    void erpOrderReachesMesAndWmsInTheirOwnFormatsAndIsFoundByOrderNumber() {
        String order = Orders.nextOrderNumber();
        var accepted = Orders.post(Orders.erpOrder(order, "P1"));
        String id = accepted.then().statusCode(202).body("duplicate", equalTo(false)).extract().path("id");
        assertEquals("/api/messages/" + id, java.net.URI.create(accepted.header("Location")).getPath());

        Settle.awaitAndHold(Duration.ofSeconds(15), () -> {
            Destinations.mes().verify(1, postRequestedFor(urlEqualTo("/api/work-orders"))
                    .withHeader("Idempotency-Key", WireMock.equalTo(id))
                    .withHeader("Content-Type", WireMock.containing("application/json"))
                    .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                    .withRequestBody(matchingJsonPath("$.line", WireMock.equalTo("P1")))
                    .withRequestBody(matchingJsonPath("$.productCode", WireMock.equalTo("MAT-4711")))
                    .withRequestBody(matchingJsonPath("$.plannedStart", WireMock.equalTo("2026-12-01"))));
        });
        // The WMS gets a CSV file in its outbox, named after the message, in its own columns.
        Path file = WmsFiles.awaitOutboxFile(Destinations.wmsOutbox(), "ProductionOrder", id, Duration.ofSeconds(15));
        assertEquals(List.of("orderRef", "site", "sku", "qty", "uom", "needBy"), WmsFiles.header(file));
        assertEquals(List.of(Map.of("orderRef", order, "site", "WH-P1", "sku", "MAT-4711", "qty", "500", "uom", "EA",
                "needBy", "2026-12-01")), WmsFiles.rows(file));

        given().queryParam("businessKey", order).when().get("/api/messages").then().statusCode(200)
                .body("", hasSize(1)).body("[0].id", equalTo(id)).body("[0].type", equalTo("ProductionOrder"))
                .body("[0].source", equalTo("erp"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                given().when().get("/api/messages/" + id).then().statusCode(200)
                        .body("message.status", equalTo("DELIVERED"))
                        .body("envelope.specversion", equalTo("1.0"))
                        .body("envelope.source", equalTo("/plants/P1/systems/erp"))
                        .body("envelope.subject", equalTo(order))
                        .body("envelope.data.material", equalTo("MAT-4711"))
                        .body("deliveries.destination", hasItem("mes"))
                        .body("deliveries.status", everyItemIs("DELIVERED"))
                        .body("deliveries[0].attemptLog[0].outcome", equalTo("SUCCESS")));
    }

    @Test
    void theSameErpMessagePostedTwiceIsJournaledAndDeliveredOnce() {
        String order = Orders.nextOrderNumber();
        String body = Orders.erpOrder(order, "P1");
        String first = Orders.post(body).then().statusCode(202).body("duplicate", equalTo(false)).extract().path("id");
        Orders.post(body).then().statusCode(202).body("id", equalTo(first)).body("duplicate", equalTo(true));

        Settle.awaitAndHold(Duration.ofSeconds(15), () -> {
            assertEquals(1, received(Destinations.mes().findAll(postRequestedFor(urlEqualTo("/api/work-orders"))), first));
        });
        WmsFiles.awaitOutboxFile(Destinations.wmsOutbox(), "ProductionOrder", first, Duration.ofSeconds(15));
        assertEquals(1, WmsFiles.names(Destinations.wmsOutbox()).stream()
                .filter(name -> WmsFiles.lines(Destinations.wmsOutbox().resolve(name)).stream()
                        .anyMatch(line -> line.startsWith(order + ";"))).count(), "one WMS file for the order");
        given().queryParam("businessKey", order).when().get("/api/messages").then().body("", hasSize(1));
        given().when().get("/api/messages/" + first).then().body("deliveries", hasSize(2));
    }

    /**
     * Posted at once, the copies land in the same group commits as other new orders and as copies already
     * journaled by an earlier commit: each order is journaled once, every copy is answered with its id, and only
     * the journaled message gets deliveries.
     */
    @Test
    void copiesPostedConcurrentlyAreJournaledOnceAndAnsweredWithTheSameId() throws Exception {
        List<String> orders = java.util.stream.IntStream.range(0, 8).mapToObj(i -> Orders.nextOrderNumber()).toList();
        int copies = 3;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(orders.size() * copies);
        var start = new java.util.concurrent.CountDownLatch(1);
        try {
            Map<String, List<java.util.concurrent.Future<io.restassured.response.Response>>> answers =
                    new java.util.LinkedHashMap<>();
            for (String order : orders) {
                for (int i = 0; i < copies; i++) {
                    answers.computeIfAbsent(order, k -> new java.util.ArrayList<>()).add(pool.submit(() -> {
                        start.await();
                        return Orders.post(Orders.erpOrder(order, "P1"));
                    }));
                }
            }
            start.countDown();
            for (String order : orders) {
                List<String> ids = new java.util.ArrayList<>();
                int fresh = 0;
                for (var answer : answers.get(order)) {
                    var response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    assertEquals(202, response.statusCode(), response.asString());
                    ids.add(response.path("id"));
                    fresh += Boolean.FALSE.equals(response.path("duplicate")) ? 1 : 0;
                }
                assertEquals(1, new java.util.HashSet<>(ids).size(), "one id for every copy of " + order + ": " + ids);
                assertEquals(1, fresh, "exactly one copy of " + order + " answered as new");
                given().queryParam("businessKey", order).when().get("/api/messages").then().body("", hasSize(1));
                given().when().get("/api/messages/" + ids.get(0)).then().body("deliveries", hasSize(2));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIdempotencyKeyHeaderIsTheDedupeKey() {
        String order = Orders.nextOrderNumber();
        String key = "erp-msg-" + order;
        String first = given().contentType("application/json").header("Idempotency-Key", key)
                .body(Orders.erpOrder(order, "P1")).post("/inbound/erp/production-orders")
                .then().statusCode(202).extract().path("id");
        // A changed body under the same key is still the same source message: the first one stands.
        given().contentType("application/json").header("Idempotency-Key", key)
                .body(Orders.erpOrder(order, "P2")).post("/inbound/erp/production-orders")
                .then().statusCode(202).body("id", equalTo(first)).body("duplicate", equalTo(true));
    }

    @Test
    void routerSendsP1OrdersToMesAndWmsButP2OrdersOnlyToWms() {
        String order = Orders.nextOrderNumber();
        String id = Orders.accept(Orders.erpOrder(order, "P2"));
        Path file = WmsFiles.awaitOutboxFile(Destinations.wmsOutbox(), "ProductionOrder", id, Duration.ofSeconds(15));
        assertEquals("WH-P2", WmsFiles.rows(file).get(0).get("site"));
        given().when().get("/api/messages/" + id).then().body("deliveries", hasSize(1))
                .body("deliveries[0].destination", equalTo("wms"));
        Destinations.mes().verify(0, postRequestedFor(urlEqualTo("/api/work-orders"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id)));
    }

    @Test
    void theSearchFiltersByDestinationAndPagesWithACursorThatSkipsNothing() {
        String p1 = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        String p2 = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P2"));
        String p1Again = Orders.accept(Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
        List<String> toMes = given().queryParam("destination", "mes").queryParam("limit", "1000").get("/api/messages")
                .then().statusCode(200).extract().jsonPath().getList("id", String.class);
        assertTrue(toMes.containsAll(List.of(p1, p1Again)), "both P1 orders have a delivery to the MES");
        assertFalse(toMes.contains(p2), "the P2 order goes to the WMS only");
        given().queryParam("destination", "nosuchsystem").get("/api/messages").then().statusCode(200).body("", hasSize(0));
        given().queryParam("destination", "x".repeat(300)).get("/api/messages").then().statusCode(400)
                .contentType("application/problem+json");

        // Page by page, one message each, from the newest: each page's last id is the next page's cursor.
        List<String> newestFirst = given().queryParam("type", "ProductionOrder").queryParam("limit", "3")
                .get("/api/messages").then().statusCode(200).extract().jsonPath().getList("id", String.class);
        // (Orders received in the same millisecond are ordered by id, so the set is compared, not the order.)
        assertEquals(java.util.Set.of(p1, p2, p1Again), java.util.Set.copyOf(newestFirst));
        String cursor = null;
        for (String expected : newestFirst) {
            var page = given().queryParam("type", "ProductionOrder").queryParam("limit", "1");
            if (cursor != null) {
                page.queryParam("before", cursor);
            }
            cursor = page.get("/api/messages").then().statusCode(200).body("", hasSize(1)).extract().path("[0].id");
            assertEquals(expected, cursor);
        }
    }

    private static long received(List<LoggedRequest> requests, String id) {
        return requests.stream().filter(r -> id.equals(r.getHeader("Idempotency-Key"))).count();
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyItemIs(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }
}
