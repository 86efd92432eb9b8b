package io.weft.delivery;

import io.restassured.path.json.JsonPath;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Reads the delivery guarantee tests share: a message's delivery to one destination, a system, a metric. */
final class DeliveryChecks {
    private DeliveryChecks() {
    }

    /** {@code GET /api/messages/{id}}: the delivery of the message to {@code destination}, with its attempt log. */
    static Map<String, Object> delivery(String messageId, String destination) {
        JsonPath json = given().get("/api/messages/" + messageId).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> deliveries = json.getList("deliveries");
        return deliveries.stream().filter(d -> destination.equals(d.get("destination"))).findFirst()
                .orElseThrow(() -> new AssertionError("message " + messageId + " has no delivery to " + destination));
    }

    static String status(String messageId, String destination) {
        return (String) delivery(messageId, destination).get("status");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> attemptLog(String messageId, String destination) {
        return (List<Map<String, Object>>) delivery(messageId, destination).get("attemptLog");
    }

    /** The outcome classes of the delivery's attempts, in order. */
    static List<Object> outcomeClasses(String messageId, String destination) {
        return attemptLog(messageId, destination).stream().map(a -> a.get("outcomeClass")).toList();
    }

    /** {@code GET /api/systems}: UP, DOWN or UNKNOWN. */
    static String reachability(String system) {
        return given().get("/api/systems").then().statusCode(200).extract()
                .path("find { it.name == '" + system + "' }.reachability");
    }

    /** A counter's value: 0 while it has not been incremented (lost leases, say, of which there should be none). */
    static double metric(String name, String... labels) {
        return io.weft.testing.Metrics.baseline(name, labels);
    }

    /** Whether the metrics page has a series of this name with these labels at all. */
    static boolean hasSeries(String name, String... labels) {
        return io.weft.testing.Metrics.series(name, labels).isPresent();
    }
}
