package io.weft.security.inbound;

import io.weft.security.KeyHashes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one system proves who it is, and its limits, from {@code weft.systems.<system>.*}:
 * {@code auth} (api-key, oidc, mtls, or several comma-separated while a system moves from one to another;
 * default api-key), {@code api-keys} (salted hashes, comma-separated: two during a key rotation; from the
 * environment, WEFT_SYSTEMS_ERP_API_KEYS), {@code oidc.subject} (the value of the token claim
 * {@code weft.oidc.system-claim} that names this system; default the system's name), {@code mtls.subject}
 * (the client certificate's subject CN; default the system's name), {@code rate-limit} (requests per second)
 * and {@code max-body-bytes}.
 */
public record SystemSecurity(String system, Set<Method> methods, List<String> keyHashes, String oidcSubject,
                             String mtlsSubject, double ratePerSecond, int maxBodyBytes) {
    private static final Logger LOG = Logger.getLogger(SystemSecurity.class);

    public enum Method {
        API_KEY("api-key"), OIDC("oidc"), MTLS("mtls");

        public final String configName;

        Method(String configName) {
            this.configName = configName;
        }

        static Method of(String system, String name) {
            for (Method m : values()) {
                if (m.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalStateException("weft.systems." + system + ".auth: '" + name
                    + "' is none of api-key, oidc, mtls");
        }
    }

    static SystemSecurity load(Config config, String system) {
        String prefix = "weft.systems." + system + ".";
        Set<Method> methods = EnumSet.noneOf(Method.class);
        for (String name : config.getOptionalValue(prefix + "auth", String.class).orElse("api-key").split(",")) {
            if (!name.isBlank()) {
                methods.add(Method.of(system, name));
            }
        }
        List<String> hashes = config.getOptionalValues(prefix + "api-keys", String.class).orElse(List.of()).stream()
                .map(String::trim).filter(h -> !h.isEmpty()).toList();
        List<String> unreadable = hashes.stream().filter(h -> !KeyHashes.isHash(h)).toList();
        if (!unreadable.isEmpty()) {
            // Never log the value: someone may have put the key itself where its hash belongs.
            LOG.errorf("%sapi-keys: %d of %d entries are no %s hash (make one with ./hash-secret.sh); they match no key",
                    prefix, unreadable.size(), hashes.size(), KeyHashes.SCHEME);
        }
        if (methods.contains(Method.API_KEY) && hashes.size() == unreadable.size()) {
            LOG.warnf("system %s authenticates with an API key but has none configured (%sapi-keys): "
                    + "all its requests are refused", system, prefix);
        }
        double globalRate = config.getOptionalValue("weft.inbound.rate-limit", Double.class).orElse(1000.0);
        int globalBody = config.getOptionalValue("weft.inbound.max-body-bytes", Integer.class).orElse(1048576);
        return new SystemSecurity(system, methods, hashes,
                config.getOptionalValue(prefix + "oidc.subject", String.class).orElse(system),
                config.getOptionalValue(prefix + "mtls.subject", String.class).orElse(system),
                config.getOptionalValue(prefix + "rate-limit", Double.class).orElse(globalRate),
                Math.min(globalBody, config.getOptionalValue(prefix + "max-body-bytes", Integer.class).orElse(globalBody)));
    }

    public boolean accepts(Method method) {
        return methods.contains(method);
    }

    /** For WWW-Authenticate and problem details: how this system is expected to authenticate. */
    public String methodNames() {
        return methods.stream().map(m -> m.configName).collect(Collectors.joining(", "));
    }
}
