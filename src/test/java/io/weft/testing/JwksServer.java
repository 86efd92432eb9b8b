package io.weft.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity provider's JWKS endpoint as a real HTTP server: it publishes the keys in {@link #publish} (at first
 * one, {@link #firstKey()}); a test rotates by making a new key and publishing it later. Weft is pointed at it with
 * {@code weft.oidc.jwks-url}; {@link #fetches()} counts how often Weft fetched the keys.
 */
public class JwksServer implements QuarkusTestResourceLifecycleManager {
    private static HttpServer server;
    private static final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private static final AtomicInteger fetches = new AtomicInteger();
    private static RsaJsonWebKey first;

    public static RsaJsonWebKey newKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RsaJsonWebKey firstKey() {
        return first;
    }

    public static void publish(RsaJsonWebKey... keys) {
        published.clear();
        published.addAll(List.of(keys));
    }

    public static int fetches() {
        return fetches.get();
    }

    @Override
    public Map<String, String> start() {
        first = newKey("first-" + System.nanoTime());
        publish(first);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/realms/p1/protocol/openid-connect/certs", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JsonWebKeySet(published.toArray(JsonWebKey[]::new))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return Map.of("weft.oidc.issuer", TestIdentityProvider.ISSUER,
                "weft.oidc.audience", TestIdentityProvider.AUDIENCE,
                "weft.oidc.jwks-url", "http://127.0.0.1:" + server.getAddress().getPort()
                        + "/realms/p1/protocol/openid-connect/certs",
                "weft.oidc.jwks-file", "");
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
