package io.weft.security.inbound;

import io.weft.security.IdentityProvider;
import io.weft.security.KeyHashes;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which system a credential proves, and whether that is the system the request speaks for. A
 * credential is first matched against every sending system's (so another system's key is a 403, not a 401),
 * with the method that system is configured for: an API key against the salted hashes, a bearer token
 * through the identity provider and its claim naming the system, a client certificate (already checked
 * against the trust store by TLS) by its subject CN.
 */
@ApplicationScoped
public class InboundAuthenticator {
    private static final int VERIFIED_CACHE = 1024;

    @Inject
    KnownSystems systems;
    @Inject
    IdentityProvider identityProvider;
    @ConfigProperty(name = "weft.oidc.system-claim", defaultValue = "weft_system")
    String systemClaim;

    private final Map<String, SystemSecurity> settings = new ConcurrentHashMap<>();
    /**
     * SHA-256 of keys already verified against a hash, and their system: PBKDF2 costs milliseconds by design, and
     * an ERP posting hundreds of orders a second presents the same key every time. Held in memory only, so a key
     * revoked in the configuration is refused after the restart that loads it.
     */
    private final Map<String, String> verifiedKeys = new ConcurrentHashMap<>();

    public SystemSecurity settings(String system) {
        return settings.computeIfAbsent(system, s -> SystemSecurity.load(ConfigProvider.getConfig(), s));
    }

    /** Whether this key was verified since the start (a digest lookup, no PBKDF2). */
    public boolean alreadyVerified(String apiKey) {
        return verifiedKeys.containsKey(sha256(apiKey));
    }

    public Verdict identify(String pathSystem, String apiKey, String bearer, String certificateName) {
        if (apiKey != null) {
            return byApiKey(pathSystem, apiKey);
        }
        if (bearer != null) {
            return byToken(pathSystem, bearer);
        }
        if (certificateName != null) {
            return byCertificate(pathSystem, certificateName);
        }
        return Verdict.unauthenticated(null, "the request carries no credentials");
    }

    private Verdict byApiKey(String pathSystem, String key) {
        String digest = sha256(key);
        String system = verifiedKeys.get(digest);
        if (system == null) {
            system = systemWithKey(pathSystem, key).orElse(null);
            if (system == null) {
                return Verdict.unauthenticated(SystemSecurity.Method.API_KEY,
                        "the API key is not valid (unknown or revoked)");
            }
            if (verifiedKeys.size() >= VERIFIED_CACHE) {
                verifiedKeys.clear();
            }
            verifiedKeys.put(digest, system);
        }
        return decide(pathSystem, system, SystemSecurity.Method.API_KEY, "API key");
    }

    /** The path's own system first: the common case costs one or two hash checks, not one per system. */
    private Optional<String> systemWithKey(String pathSystem, String key) {
        if (keyMatches(pathSystem, key)) {
            return Optional.of(pathSystem);
        }
        return systems.sources().stream().filter(s -> !s.equals(pathSystem)).filter(s -> keyMatches(s, key)).findFirst();
    }

    private boolean keyMatches(String system, String key) {
        if (!KnownSystems.NAME.matcher(system).matches()) {
            return false;
        }
        SystemSecurity security = settings(system);
        return security.accepts(SystemSecurity.Method.API_KEY)
                && security.keyHashes().stream().anyMatch(hash -> KeyHashes.matches(key, hash));
    }

    private Verdict byToken(String pathSystem, String token) {
        JwtClaims claims;
        try {
            claims = identityProvider.verify(token);
        } catch (IdentityProvider.Refused e) {
            return Verdict.unauthenticated(SystemSecurity.Method.OIDC, e.getMessage());
        }
        String named;
        String subject;
        try {
            named = claims.getClaimValueAsString(systemClaim);
            subject = claims.getSubject();
        } catch (MalformedClaimException e) {
            return Verdict.unauthenticated(SystemSecurity.Method.OIDC, "the token's claims are malformed");
        }
        if (named == null) {
            return Verdict.forbidden("token " + subject, SystemSecurity.Method.OIDC,
                    "the token names no system (claim " + systemClaim + ")");
        }
        Optional<String> system = systemFor(pathSystem, SystemSecurity.Method.OIDC,
                s -> settings(s).oidcSubject().equals(named));
        if (system.isEmpty()) {
            return Verdict.forbidden("token " + subject, SystemSecurity.Method.OIDC,
                    "the token names '" + named + "', no system that authenticates with oidc");
        }
        return decide(pathSystem, system.get(), SystemSecurity.Method.OIDC, "token");
    }

    private Verdict byCertificate(String pathSystem, String commonName) {
        Optional<String> system = systemFor(pathSystem, SystemSecurity.Method.MTLS,
                s -> settings(s).mtlsSubject().equals(commonName));
        if (system.isEmpty()) {
            return Verdict.unauthenticated(SystemSecurity.Method.MTLS,
                    "the client certificate (CN=" + commonName + ") names no system that authenticates with mtls");
        }
        return decide(pathSystem, system.get(), SystemSecurity.Method.MTLS, "client certificate");
    }

    private Optional<String> systemFor(String pathSystem, SystemSecurity.Method method,
                                       java.util.function.Predicate<String> names) {
        if (KnownSystems.NAME.matcher(pathSystem).matches() && settings(pathSystem).accepts(method)
                && names.test(pathSystem)) {
            return Optional.of(pathSystem);
        }
        return systems.sources().stream().filter(s -> settings(s).accepts(method)).filter(names).findFirst();
    }

    private static Verdict decide(String pathSystem, String identity, SystemSecurity.Method method, String what) {
        if (identity.equals(pathSystem)) {
            return Verdict.accepted(identity, method);
        }
        return Verdict.forbidden(identity, method, "the " + what + " is " + identity + "'s; it may post only to /inbound/"
                + identity + "/...");
    }

    private static String sha256(String key) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
