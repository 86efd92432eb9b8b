package io.weft.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.Auth;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo, as {@code ./demo.sh} starts it (the packaged jar, profile demo): its simulated ERP authenticates
 * with the demo key and its orders are journaled; the demo operator logs in with the printed credentials;
 * without them the API is closed.
 */
class DemoIT {
    @RegisterExtension
    final WeftProcess.Processes processes = new WeftProcess.Processes();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDemosSystemsAndOperatorAuthenticate() throws Exception {
        WeftProcess demo = processes.start("demo", Map.of("quarkus.profile", "demo",
                "weft.data-dir", Files.createTempDirectory("weft-demo-").toString(),
                "weft.systems.mes.url", "http://127.0.0.1:" + WeftProcess.freePort(),
                "weft.demo.order-interval", "500ms")).awaitReady(Duration.ofSeconds(120));
        assertTrue(demo.output().contains("demo credentials"), "the demo prints its credentials");

        HttpRequest asOperator = HttpRequest.newBuilder(demo.uri().resolve("/api/messages?source=erp"))
                .header("Authorization", Auth.basic(DemoPlant.DEMO_OPERATOR, DemoPlant.DEMO_OPERATOR_PASSWORD)).build();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> answer = http.send(asOperator, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode messages = new ObjectMapper().readTree(answer.body());
            assertTrue(messages.size() >= 2, "orders of the simulated ERP journaled: " + messages.size());
        });
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(demo.uri().resolve("/api/messages")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(!demo.output().contains("inbound request to /inbound/erp"), "no ERP request was refused");
    }
}
