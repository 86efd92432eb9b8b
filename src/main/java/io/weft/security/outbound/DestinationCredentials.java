package io.weft.security.outbound;

import io.weft.delivery.DeliveryAttempter;
import io.weft.delivery.MisconfiguredDestinationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials Weft presents to a destination (used by the weft-rest-sink Kamelet), from
 * {@code weft.systems.<system>.outbound.*}, which the environment supplies (WEFT_SYSTEMS_MES_OUTBOUND_PASSWORD):
 * {@code auth=none} (default), {@code basic} ({@code username}, {@code password}), {@code api-key}
 * ({@code api-key-header}, default X-Api-Key, and {@code api-key}) or {@code oauth2} ({@code token-url},
 * {@code client-id}, {@code client-secret}, {@code scope}). Credentials go only into the request's headers:
 * never into an endpoint URI (which Camel logs and shows in diagnostics), a log line or the journal.
 */
@ApplicationScoped
@Named("destinationCredentials")
public class DestinationCredentials {
    /** Set when a 401 led to a fresh token: the Kamelet then sends the request once more. */
    public static final String RETRY_AFTER_401 = "weftRetryAfter401";

    private final ClientCredentialsTokens tokens = new ClientCredentialsTokens();
    private final Map<String, Settings> settings = new ConcurrentHashMap<>();

    enum Method { NONE, BASIC, API_KEY, OAUTH2 }

    record Settings(Method method, String header, String value, ClientCredentialsTokens.Client client) {
        @Override
        public String toString() {
            return "Settings[" + method + "]"; // never the credential
        }
    }

    /** Before the request: the destination's credential as a header. */
    public void apply(Exchange exchange) throws Exception {
        String destination = exchange.getProperty(DeliveryAttempter.DESTINATION, String.class);
        if (destination == null) {
            return;
        }
        Settings s = settings.computeIfAbsent(destination, d -> load(ConfigProvider.getConfig(), d));
        switch (s.method()) {
            case NONE -> exchange.getMessage().removeHeader("Authorization");
            case BASIC, API_KEY -> exchange.getMessage().setHeader(s.header(), s.value());
            case OAUTH2 -> exchange.getMessage().setHeader("Authorization",
                    "Bearer " + tokens.token(destination, s.client()));
        }
    }

    /**
     * In the Kamelet's catch: a 401 from a destination using OAuth2 drops its token and fetches a new one, once
     * (the Kamelet then resends); anything else, or a 401 with a fresh token, is failed as it is.
     */
    public void afterFailure(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String destination = exchange.getProperty(DeliveryAttempter.DESTINATION, String.class);
        Settings s = destination == null ? null : settings.get(destination);
        if (caught instanceof HttpOperationFailedException http && http.getStatusCode() == 401 && s != null
                && s.method() == Method.OAUTH2 && !exchange.getProperty(RETRY_AFTER_401, false, Boolean.class)) {
            tokens.invalidate(destination);
            apply(exchange);
            exchange.setProperty(RETRY_AFTER_401, true);
            return;
        }
        throw caught;
    }

    static Settings load(Config config, String destination) {
        String prefix = "weft.systems." + destination + ".outbound.";
        String method = config.getOptionalValue(prefix + "auth", String.class).orElse("none").trim().toLowerCase(Locale.ROOT);
        return switch (method) {
            case "none" -> new Settings(Method.NONE, null, null, null);
            case "basic" -> new Settings(Method.BASIC, "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (required(config, prefix, "username") + ":" + required(config, prefix, "password"))
                            .getBytes(StandardCharsets.UTF_8)), null);
            case "api-key" -> new Settings(Method.API_KEY,
                    config.getOptionalValue(prefix + "api-key-header", String.class).orElse("X-Api-Key"),
                    required(config, prefix, "api-key"), null);
            case "oauth2" -> new Settings(Method.OAUTH2, null, null, new ClientCredentialsTokens.Client(
                    URI.create(required(config, prefix, "token-url")), required(config, prefix, "client-id"),
                    required(config, prefix, "client-secret"), config.getOptionalValue(prefix + "scope", String.class).orElse(null)));
            default -> throw new MisconfiguredDestinationException(prefix + "auth: '" + method + "' is none of none, basic, api-key, oauth2");
        };
    }

    private static String required(Config config, String prefix, String key) {
        return config.getOptionalValue(prefix + key, String.class).filter(v -> !v.isBlank()).orElseThrow(() ->
                new MisconfiguredDestinationException(prefix + key + " is not set (give it in the environment, e.g. "
                        + (prefix + key).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")"));
    }
}
