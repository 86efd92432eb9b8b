package io.weft.security.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OAuth2 client credentials (RFC 6749 section 4.4) per destination: a token is fetched from the destination's
 * token endpoint (client id and secret as HTTP Basic), kept until shortly before it expires (a tenth of its
 * lifetime, at most 30 s early), then fetched again; {@link #invalidate} drops it when the destination answers
 * 401 anyway. A token endpoint refusing the client (400, 401, 403) is a permanent failure: the delivery is
 * parked, not retried with the same wrong secret; one that cannot be reached or answers 5xx is retried.
 */
final class ClientCredentialsTokens {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Client(URI tokenUrl, String clientId, String clientSecret, String scope) {
        @Override
        public String toString() {
            return "Client[" + tokenUrl + ", " + clientId + "]"; // never the secret
        }
    }

    private record Token(String value, Instant refreshAt) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    String token(String destination, Client client) throws IOException, HttpOperationFailedException {
        Token token = tokens.get(destination);
        if (token != null && Instant.now().isBefore(token.refreshAt())) {
            return token.value();
        }
        synchronized (this) {
            token = tokens.get(destination);
            if (token == null || !Instant.now().isBefore(token.refreshAt())) {
                token = fetch(client);
                tokens.put(destination, token);
            }
            return token.value();
        }
    }

    void invalidate(String destination) {
        tokens.remove(destination);
    }

    private Token fetch(Client client) throws IOException, HttpOperationFailedException {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (client.scope() != null && !client.scope().isBlank()) {
            form.append("&scope=").append(URLEncoder.encode(client.scope(), StandardCharsets.UTF_8));
        }
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(client.tokenUrl()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching a token from " + client.tokenUrl());
        }
        int status = response.statusCode();
        if (status != 200) {
            // The answer's body is not kept: a token endpoint may echo what it was sent.
            throw new HttpOperationFailedException(client.tokenUrl().toString(), status,
                    "token endpoint refused client " + client.clientId(), null, null, null);
        }
        JsonNode answer = JSON.readTree(response.body());
        String value = answer.path("access_token").asText(null);
        if (value == null || value.isBlank()) {
            throw new IOException("the token endpoint " + client.tokenUrl() + " answered without an access_token");
        }
        long lifetime = answer.path("expires_in").asLong(60);
        long early = Math.min(30_000, lifetime * 100); // a tenth of the lifetime, in milliseconds
        return new Token(value, Instant.now().plusMillis(lifetime * 1000 - early));
    }
}
