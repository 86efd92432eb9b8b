package io.weft.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
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
        URI uri;
        try {
            uri = new URI("http://127.0.0.1:" + port(path) + path);
        } catch (URISyntaxException e) {
            return sendRaw(method, path, headers, body); // a request target java.net.URI refuses (%zz, say)
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        withCredentials(path, headers).forEach(request::header);
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

    /** HTTP/1.1 written by hand, for request targets no URI class accepts. */
    private static Answer sendRaw(String method, String path, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port(path))) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            withCredentials(path, headers).forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            byte[] content = body == null ? new byte[0] : body;
            head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.split(" ", 3)[1]);
            int split = response.indexOf("\r\n\r\n");
            String type = null;
            boolean chunked = false;
            for (String line : response.substring(0, Math.max(split, 0)).split("\r\n")) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    type = line.substring("content-type:".length()).trim();
                }
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            String text = split < 0 ? "" : response.substring(split + 4);
            if (chunked) {
                StringBuilder joined = new StringBuilder();
                for (int at = 0; at < text.length(); ) {
                    int eol = text.indexOf("\r\n", at);
                    int size = Integer.parseInt(text.substring(at, eol).trim(), 16);
                    joined.append(text, eol + 2, eol + 2 + size);
                    at = eol + 2 + size + 2;
                    if (size == 0) {
                        break;
                    }
                }
                text = joined.toString();
            }
            return new Answer(status, type, text, parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** /q/* is served on the management interface, everything else on the business port. */
    private static int port(String path) {
        return path.startsWith("/q/") ? io.weft.testing.Management.port() : RestAssured.port;
    }

    /**
     * The case's headers plus the credentials the path needs (the sending system's key for /inbound/<system>, the
     * test admin for /api), unless the case brings its own: the suite tests bad input, not authentication.
     */
    private static Map<String, String> withCredentials(String path, Map<String, String> headers) {
        boolean own = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization")
                || h.equalsIgnoreCase(io.weft.testing.Auth.API_KEY_HEADER));
        if (own) {
            return headers;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        String[] parts = path.split("[/?]");
        if (path.startsWith("/inbound/") && parts.length > 2) {
            String system = io.weft.testing.Auth.SYSTEMS.contains(parts[2]) ? parts[2] : "erp";
            all.putAll(io.weft.testing.Auth.system(system));
        } else if (path.startsWith("/api")) {
            all.putAll(io.weft.testing.Auth.admin());
        }
        return all;
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
