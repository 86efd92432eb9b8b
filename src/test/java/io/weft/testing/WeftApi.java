package io.weft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The operations API of a running Weft process, for tests that cannot read its store while it runs (the
 * embedded H2 file is the process's own).
 */
public final class WeftApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private WeftApi() {
    }

    public static JsonNode get(WeftProcess weft, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(weft.uri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .headers(Auth.headers(Auth.admin())).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + pathAndQuery + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** POSTs {@code body} (JSON, or nothing when null) with {@code headers}; returns the status and body. */
    public static HttpResponse<String> post(WeftProcess weft, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(weft.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .headers(Auth.headers(headers)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Deliveries to {@code system} not finished yet (PENDING or RETRYING) plus those parked DEAD, as
     * {@code GET /api/systems} reads them from the store on each call.
     */
    public static long unfinished(WeftProcess weft, String system) {
        for (JsonNode view : get(weft, "/api/systems")) {
            if (system.equals(view.path("name").asText())) {
                return view.path("backlog").asLong() + view.path("dead").asLong();
            }
        }
        throw new AssertionError("no system " + system + " in /api/systems");
    }
}
