package io.weft.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Destinations that demand credentials, with known secret values: the MES wants HTTP basic, the supplier
 * portal an API key header, the ERP an OAuth2 bearer token from its own token endpoint ({@link #tokenCalls()},
 * tokens live {@link #TOKEN_SECONDS} seconds; {@link #revoke} makes the ERP refuse a token before it expires,
 * {@link #refuseClient} makes the token endpoint refuse Weft's client). The ERP's endpoint is a small JDK HTTP
 * server, since it must check tokens against those its token endpoint issued.
 */
public class SecuredDestinations implements QuarkusTestResourceLifecycleManager {
    public static final String MES_USER = "weft-p1";
    public static final String MES_PASSWORD = "mes-Pa55-" + UUID.randomUUID();
    public static final String SUPPLIER_KEY_HEADER = "X-Portal-Key";
    public static final String SUPPLIER_KEY = "portal-key-" + UUID.randomUUID();
    public static final String ERP_CLIENT_ID = "weft-plant-p1";
    public static final String ERP_CLIENT_SECRET = "erp-client-secret-" + UUID.randomUUID();
    public static final int TOKEN_SECONDS = 6;

    private static WireMockServer mes;
    private static WireMockServer supplier;
    private static HttpServer erp;
    private static final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private static final List<String> issued = new CopyOnWriteArrayList<>();
    /** Each request the ERP received: the token it carried and whether it was accepted. */
    private static final List<String> erpRequests = new CopyOnWriteArrayList<>();
    private static final AtomicInteger tokenCalls = new AtomicInteger();
    private static volatile boolean refuseClient;

    public static WireMockServer mes() {
        return mes;
    }

    public static WireMockServer supplier() {
        return supplier;
    }

    public static int tokenCalls() {
        return tokenCalls.get();
    }

    public static List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    public static List<String> erpRequests() {
        return List.copyOf(erpRequests);
    }

    public static void revoke(String token) {
        validTokens.remove(token);
    }

    public static void refuseClient(boolean refuse) {
        refuseClient = refuse;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, String> start() {
        mes = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        mes.start();
        supplier = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        supplier.start();
        try {
            erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            erp.createContext("/token", SecuredDestinations::token);
            erp.createContext("/api", SecuredDestinations::erpApi);
            erp.start();
            Path wms = Files.createTempDirectory("weft-wms-");
            String base = "http://127.0.0.1:" + erp.getAddress().getPort();
            return Map.ofEntries(
                    Map.entry("weft.systems.mes.url", mes.baseUrl()),
                    Map.entry("weft.systems.supplier.url", supplier.baseUrl()),
                    Map.entry("weft.systems.erp.url", base),
                    Map.entry("weft.systems.wms.inbox", "file:" + Files.createDirectories(wms.resolve("inbox"))),
                    Map.entry("weft.systems.wms.outbox", "file:" + Files.createDirectories(wms.resolve("outbox"))),
                    Map.entry("weft.systems.mes.outbound.auth", "basic"),
                    Map.entry("weft.systems.mes.outbound.username", MES_USER),
                    Map.entry("weft.systems.mes.outbound.password", MES_PASSWORD),
                    Map.entry("weft.systems.supplier.outbound.auth", "api-key"),
                    Map.entry("weft.systems.supplier.outbound.api-key-header", SUPPLIER_KEY_HEADER),
                    Map.entry("weft.systems.supplier.outbound.api-key", SUPPLIER_KEY),
                    Map.entry("weft.systems.erp.outbound.auth", "oauth2"),
                    Map.entry("weft.systems.erp.outbound.token-url", base + "/token"),
                    Map.entry("weft.systems.erp.outbound.client-id", ERP_CLIENT_ID),
                    Map.entry("weft.systems.erp.outbound.client-secret", ERP_CLIENT_SECRET));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void token(HttpExchange exchange) throws IOException {
        tokenCalls.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (refuseClient || !form.contains("grant_type=client_credentials")
                || !basic(ERP_CLIENT_ID, ERP_CLIENT_SECRET).equals(auth)) {
            answer(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = "tok-" + UUID.randomUUID();
        validTokens.add(token);
        issued.add(token);
        answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + TOKEN_SECONDS + "}");
    }

    private static void erpApi(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "(none)";
        boolean valid = validTokens.contains(token);
        erpRequests.add(token + (valid ? " accepted" : " refused"));
        answer(exchange, valid ? 201 : 401, valid ? "{\"ok\":true}" : "{\"error\":\"invalid_token\"}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        mes.stop();
        supplier.stop();
        erp.stop(0);
    }
}
