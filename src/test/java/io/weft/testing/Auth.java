package io.weft.testing;

import io.weft.security.KeyHashes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test credentials, in one place. Every sending system's API key is {@code test-key-<system>}, every
 * operator's password {@code test-password-<name>}; their hashes are in application.properties' %test section
 * (for {@code @QuarkusTest}) and in {@link #config()} (for a packaged {@link WeftProcess}, which runs the prod
 * profile). REST Assured requests get them without asking ({@link TestCredentials}); a test with its own
 * HTTP client adds {@code Auth.erp()} or {@code Auth.admin()} to its request.
 */
public final class Auth {
    public static final String API_KEY_HEADER = "X-Api-Key";
    public static final List<String> SYSTEMS = List.of("erp", "crm", "mes", "mesb", "supplier", "wms", "qms", "iot");
    /** Operators of the %test profile and their roles. */
    public static final Map<String, String> OPERATORS = Map.of("admin", "admin,payload", "operator", "operator,payload",
            "viewer", "viewer", "auditor", "admin");

    private Auth() {
    }

    public static String key(String system) {
        return "test-key-" + system;
    }

    public static String password(String operator) {
        return "test-password-" + operator;
    }

    /** The header that proves {@code system}: {@code X-Api-Key: test-key-<system>}. */
    public static Map<String, String> system(String system) {
        return Map.of(API_KEY_HEADER, key(system));
    }

    public static Map<String, String> erp() {
        return system("erp");
    }

    /** {@code Authorization: Basic} of an operator of the %test profile. */
    public static Map<String, String> operator(String name) {
        return Map.of("Authorization", basic(name, password(name)));
    }

    public static Map<String, String> admin() {
        return operator("admin");
    }

    public static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** For {@code java.net.http}: the header pairs as {@code HttpRequest.Builder.headers(...)} takes them. */
    public static String[] headers(Map<String, String> headers) {
        return headers.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
    }

    /** The same credentials as configuration, for a Weft started outside the %test profile. */
    public static Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        for (String system : SYSTEMS) {
            config.put("weft.systems." + system + ".api-keys", KeyHashes.hash(key(system), 1000));
        }
        config.put("weft.operators.names", String.join(",", OPERATORS.keySet()));
        OPERATORS.forEach((name, roles) -> {
            config.put("weft.operators." + name + ".password-hash", KeyHashes.hash(password(name), 1000));
            config.put("weft.operators." + name + ".roles", roles);
        });
        return config;
    }
}
