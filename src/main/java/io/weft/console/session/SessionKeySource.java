package io.weft.console.session;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The console session cookie's key ({@code quarkus.http.auth.session.encryption-key}): WEFT_CONSOLE_SESSION_KEY when
 * set (instances behind one balancer share it), else a random key made at start. Without this source Quarkus would
 * make one too, and print it in a WARN line: a secret in the log. Any other source of the key (its own env var
 * QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY, a -D option) overrides this one.
 */
public class SessionKeySource implements ConfigSource {
    static final String KEY = "quarkus.http.auth.session.encryption-key";
    private static final String VALUE = key();

    private static String key() {
        String configured = System.getenv("WEFT_CONSOLE_SESSION_KEY");
        if (configured != null && configured.trim().length() >= 16) {
            return configured.trim();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(KEY, VALUE);
    }

    @Override
    public String getValue(String propertyName) {
        return KEY.equals(propertyName) ? VALUE : null;
    }

    @Override
    public String getName() {
        return "weft-console-session-key";
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250) and the environment (300).
        return 200;
    }
}
