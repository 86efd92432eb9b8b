package io.weft.testing;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the plant's identity provider: an RSA key this test run makes, its public half as the JWKS
 * file Weft is configured with, and tokens signed with the private half. The key pair lives in a file under
 * {@code target/} so that the test profile (which configures Weft) and the test (which signs) use the same one
 * whatever class loader each runs in.
 */
public final class TestIdentityProvider {
    public static final String ISSUER = "https://idp.plant.test/realms/p1";
    public static final String AUDIENCE = "weft";
    private static final Path DIR = WeftProcess.projectDir().resolve("target/test-idp");

    private TestIdentityProvider() {
    }

    /** Weft's configuration for this provider. */
    public static Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("weft.oidc.issuer", ISSUER);
        config.put("weft.oidc.audience", AUDIENCE);
        config.put("weft.oidc.jwks-file", publicKeys().toString());
        return config;
    }

    public static Path publicKeys() {
        key();
        return DIR.resolve("jwks.json");
    }

    /** A token for a system: {@code weft_system} names it. */
    public static String systemToken(String system, String audience, int expiresInSeconds) {
        return sign(ISSUER, audience, "svc-" + system, expiresInSeconds, Map.of("weft_system", system), key());
    }

    /** A token for an operator with the given roles in {@code groups}. */
    public static String operatorToken(String name, List<String> roles) {
        return sign(ISSUER, AUDIENCE, "user-" + name, 300, Map.of("preferred_username", name, "groups", roles), key());
    }

    /** A token like {@link #systemToken} but signed by a key the identity provider never published. */
    public static String forgedToken(String system) {
        try {
            RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
            other.setKeyId(key().getKeyId());
            return sign(ISSUER, AUDIENCE, "svc-" + system, 300, Map.of("weft_system", system), other);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String issuer, String audience, String subject, int expiresInSeconds,
                              Map<String, Object> claims, RsaJsonWebKey key) {
        try {
            JwtClaims jwt = new JwtClaims();
            jwt.setIssuer(issuer);
            jwt.setAudience(audience);
            jwt.setSubject(subject);
            jwt.setIssuedAtToNow();
            jwt.setExpirationTimeMinutesInTheFuture(expiresInSeconds / 60f);
            claims.forEach(jwt::setClaim);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(jwt.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized RsaJsonWebKey key() {
        Path privateFile = DIR.resolve("private-jwk.json");
        try {
            if (!Files.exists(privateFile)) {
                Files.createDirectories(DIR);
                RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
                key.setKeyId("test-" + System.nanoTime());
                Files.writeString(DIR.resolve("jwks.json"), new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                Files.writeString(privateFile, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            }
            return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(privateFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
