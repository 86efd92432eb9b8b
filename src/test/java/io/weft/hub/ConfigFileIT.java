package io.weft.hub;

import io.weft.testing.Auth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.Orders;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A plant's settings live in {@code config/application.properties} of the working directory, read at every
 * start of the packaged jar: changing the file and restarting changes the setting, with no build. Precedence:
 * packaged defaults ({@code weft.plant=P1}) < the file < the environment.
 */
class ConfigFileIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    @TempDir
    Path plant;

    @Test
    void aSettingChangedInTheConfigFileTakesEffectAtTheNextStart() throws Exception {
        Path config = Files.createDirectories(plant.resolve("config")).resolve("application.properties");
        Files.writeString(config, "weft.plant=P7\nweft.systems.crm.plant=P8\n");

        WeftProcess first = weft.start("config-file-1", settings(), plant).awaitReady(Duration.ofSeconds(120));
        assertEquals("/plants/P7/systems/erp", sourceOf(first, postErpOrder(first)), "the file beats the packaged P1");
        assertEquals("/plants/P8/systems/crm", sourceOf(first, postCrmOrder(first)));
        first.stop();

        Files.writeString(config, "weft.plant=P9\nweft.systems.crm.plant=P8\n");
        WeftProcess second = weft.start("config-file-2", settings(), plant, Map.of("WEFT_SYSTEMS_CRM_PLANT", "P5"))
                .awaitReady(Duration.ofSeconds(120));
        assertEquals("/plants/P9/systems/erp", sourceOf(second, postErpOrder(second)), "the changed file, no build");
        assertEquals("/plants/P5/systems/crm", sourceOf(second, postCrmOrder(second)), "the environment beats the file");
    }

    /** What the test itself needs (not the settings under test): the shipped routes, a fresh embedded store. */
    private Map<String, String> settings() {
        Path project = WeftProcess.projectDir();
        return Map.of(
                "weft.routes-dir", project.resolve("routes").toString(),
                "weft.mappings-dir", project.resolve("mappings").toString(),
                "weft.data-dir", plant.resolve("data").toString(),
                "weft.systems.qms.inbound.enabled", "false",
                "weft.systems.iot.inbound.enabled", "false");
    }

    private static String postErpOrder(WeftProcess weft) throws IOException, InterruptedException {
        return post(weft, "/inbound/erp/production-orders", Orders.erpOrder(Orders.nextOrderNumber(), "P1"));
    }

    private static String postCrmOrder(WeftProcess weft) throws IOException, InterruptedException {
        String order = Files.readString(WeftProcess.projectDir().resolve("mappings/crm/examples/SalesOrder.in/basic.input.json"))
                .replace("\"SO-", "\"SO-" + Orders.nextOrderNumber() + "-");
        return post(weft, "/inbound/crm/sales-orders", order);
    }

    private static String post(WeftProcess weft, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(weft.uri() + path))
                .header("Content-Type", "application/json").headers(Auth.headers(Auth.system(path.split("/")[2])))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).path("id").asText();
    }

    private static String sourceOf(WeftProcess weft, String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(weft.uri() + "/api/messages/" + id))
                .headers(Auth.headers(Auth.admin())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode message = JSON.readTree(answer.body());
        return message.path("envelope").path("source").asText();
    }
}
