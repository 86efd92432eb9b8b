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

    /** The sum of a Prometheus series over the lines that carry every label given; 0 when there is none yet. */
    static double metric(String name, String... labels) {
        String text = io.weft.testing.Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.indexOf('}') + 1).trim().split("\\s+")[0]);
            }
        }
        return sum;
    }

    /** Whether the metrics page has a series of this name with these labels at all. */
    static boolean hasSeries(String name, String... labels) {
        String text = io.weft.testing.Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                return true;
            }
        }
        return false;
    }
}
