package io.weft.journal;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.weft.store.Store;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal retention and status search on one store (subclasses choose it). The profile keeps one hour, purges
 * every 300 ms in batches of 2, and lets the MES be retried many times, so an order the MES keeps answering 503
 * stays RETRYING for the whole test. Old entries are made old by moving their timestamps two hours back.
 */
abstract class RetentionContract {
    /** The retention settings the subclasses' profiles add. */
    static Map<String, String> retention() {
        return Map.of("weft.journal.retention", "PT1H", "weft.journal.retention-batch", "2",
                "weft.journal.retention-interval", "300ms", "weft.systems.mes.delivery.max-attempts", "1000");
    }

    @Inject
    Store store;
    @Inject
    Rejections rejections;

    @BeforeEach
    void mesAcceptsExceptMarkedOrders() {
        Destinations.mes().resetAll();
        Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).willReturn(aResponse().withStatus(201)));
    }

    @Test
    void purgesOldDeliveredMessagesWithTheirAttemptsAndKeepsDeadQueuedAndYoungOnes() throws Exception {
        List<String> oldDelivered = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // more than two batches
            oldDelivered.add(accept("delivered"));
        }
        String young = accept("delivered");
        String dead = accept("refused");
        String queued = accept("unavailable");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : oldDelivered) {
                assertEquals(List.of("DELIVERED", "DELIVERED"), statuses(id));
            }
            assertEquals(List.of("DELIVERED", "DELIVERED"), statuses(young));
            assertEquals(List.of("DEAD", "DELIVERED"), statuses(dead));
            assertEquals(List.of("RETRYING", "DELIVERED"), statuses(queued));
        });
        long attemptsOfOld = count("SELECT COUNT(*) FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id "
                + "WHERE d.message_id IN " + in(oldDelivered.size()), oldDelivered);
        assertEquals(10, attemptsOfOld, "one attempt per delivery of the old delivered messages");
        long attemptsOfFinished = attempts(List.of(young, dead));
        long attemptsOfQueued = attempts(List.of(queued));
        String oldRejection = reject();
        String youngRejection = reject();

        List<String> old = new ArrayList<>(oldDelivered);
        old.add(dead);
        old.add(queued);
        backdate(old, oldRejection);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(0, count("SELECT COUNT(*) FROM message WHERE id IN " + in(oldDelivered.size()), oldDelivered)));
        assertEquals(0, count("SELECT COUNT(*) FROM delivery WHERE message_id IN " + in(oldDelivered.size()), oldDelivered));
        assertEquals(0, count("SELECT COUNT(*) FROM delivery_attempt a WHERE NOT EXISTS "
                + "(SELECT 1 FROM delivery d WHERE d.id = a.delivery_id)", List.of()), "no attempt outlives its delivery");
        given().get("/api/messages/" + oldDelivered.get(0)).then().statusCode(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(0, count("SELECT COUNT(*) FROM inbound_rejection WHERE id = ?", List.of(oldRejection))));

        // Several more purge rounds: what must stay, stays, with every delivery and attempt.
        Thread.sleep(1500);
        assertEquals(List.of("DELIVERED", "DELIVERED"), statuses(young));
        assertEquals(List.of("DEAD", "DELIVERED"), statuses(dead));
        assertEquals(List.of("RETRYING", "DELIVERED"), statuses(queued));
        assertEquals(attemptsOfFinished, attempts(List.of(young, dead)));
        assertTrue(attempts(List.of(queued)) >= attemptsOfQueued, "the queued message keeps every attempt");
        assertEquals(1, count("SELECT COUNT(*) FROM inbound_rejection WHERE id = ?", List.of(youngRejection)));
        given().get("/api/messages/" + dead).then().statusCode(200).body("deliveries", hasSize(2));
    }

    @Test
    void searchByStatusFindsEachMessageByItsWorstDelivery() {
        String delivered = accept("delivered");
        String dead = accept("refused");
        String queued = accept("unavailable");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("DEAD", "DELIVERED"), statuses(dead));
            assertEquals(List.of("RETRYING", "DELIVERED"), statuses(queued));
            assertEquals(List.of("DELIVERED", "DELIVERED"), statuses(delivered));
        });
        Map<String, String> expected = Map.of(delivered, "DELIVERED", dead, "DEAD", queued, "RETRYING");
        for (Map.Entry<String, String> message : expected.entrySet()) {
            String order = given().get("/api/messages/" + message.getKey()).then().extract().path("message.subject");
            for (String status : List.of("DELIVERED", "DEAD", "RETRYING", "PENDING")) {
                given().queryParam("businessKey", order).queryParam("status", status).get("/api/messages").then()
                        .statusCode(200).body("", hasSize(status.equals(message.getValue()) ? 1 : 0));
            }
            given().queryParam("businessKey", order).queryParam("status", message.getValue()).get("/api/messages")
                    .then().body("[0].id", equalTo(message.getKey())).body("[0].status", equalTo(message.getValue()));
        }
    }

    /** Posts an order the MES will deliver (201), refuse (400: DEAD at once) or keep answering 503 (RETRYING). */
    String accept(String mesAnswer) {
        String order = Orders.nextOrderNumber();
        int status = switch (mesAnswer) {
            case "refused" -> 400;
            case "unavailable" -> 503;
            default -> 201;
        };
        if (status != 201) {
            Destinations.mes().stubFor(post(urlEqualTo("/api/work-orders")).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.workOrderId", WireMock.equalTo(order)))
                    .willReturn(aResponse().withStatus(status)));
        }
        return Orders.accept(Orders.erpOrder(order, "P1"));
    }

    /** The statuses of a message's deliveries, in destination order (mes, wms). */
    List<String> statuses(String messageId) {
        return store.read(c -> {
            List<String> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status FROM delivery WHERE message_id = ? ORDER BY destination")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            return found;
        });
    }

    long attempts(List<String> messageIds) {
        return count("SELECT COUNT(*) FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id "
                + "WHERE d.message_id IN " + in(messageIds.size()), messageIds);
    }

    String reject() {
        return rejections.record(new Rejections.Rejected("wms", "wms-in-goods-receipts", "GoodsReceipt",
                "retention-test.csv", "line 2", null, io.weft.observe.WeftMetrics.Rejection.MALFORMED,
                "a test rejection", null, "a;b"));
    }

    /** Moves the messages (and their finished deliveries) and the rejection two hours into the past. */
    void backdate(List<String> messageIds, String rejectionId) {
        Timestamp twoHoursAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(2)));
        store.inTransaction(c -> {
            String in = in(messageIds.size());
            for (String sql : List.of("UPDATE message SET received_at = ? WHERE id IN " + in,
                    "UPDATE delivery SET created_at = ? WHERE message_id IN " + in,
                    "UPDATE delivery SET delivered_at = ? WHERE status = 'DELIVERED' AND message_id IN " + in)) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    ps.setTimestamp(i++, twoHoursAgo);
                    for (String id : messageIds) {
                        ps.setString(i++, id);
                    }
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE inbound_rejection SET rejected_at = ? WHERE id = ?")) {
                ps.setTimestamp(1, twoHoursAgo);
                ps.setString(2, rejectionId);
                assertEquals(1, ps.executeUpdate());
            }
            return null;
        });
    }

    long count(String sql, List<String> args) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    return rs.getLong(1);
                }
            }
        });
    }

    static String in(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
