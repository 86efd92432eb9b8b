package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The one way the bad-input suite talks HTTP to Weft: exact bytes and exact headers (java.net.http, which
 * adds no charset and no content type of its own, unlike REST Assured). Every request of the suite goes
 * through {@link #send}, so that adding credentials (once /inbound and /api require them) is one line here.
 */
public final class WeftHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Weft answered; {@code json} is the parsed body when it is JSON, else null. */
    public record Answer(int status, String contentType, String body, JsonNode json) {
    }

    private WeftHttp() {
    }

    public static Answer send(String method, String path, Map<String, String> headers, byte[] body) {
        URI uri = URI.create("http://127.0.0.1:" + RestAssured.port + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        // Credentials for /inbound and /api go here, once Weft requires them.
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            String type = response.headers().firstValue("Content-Type").orElse(null);
            return new Answer(response.statusCode(), type, text, parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Answer get(String path) {
        return send("GET", path, Map.of(), null);
    }

    public static Answer postJson(String path, String json) {
        return send("POST", path, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String text) {
        try {
            return text.isBlank() ? null : JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
