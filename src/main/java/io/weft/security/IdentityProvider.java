package io.weft.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The plant's identity provider (OIDC): verifies the signed JWTs systems and operators present as
 * {@code Authorization: Bearer}. Signature against the provider's keys (its JWKS URL, or a JWKS file),
 * issuer, audience, expiry (30 s clock skew) and an asymmetric algorithm are all required; a token failing
 * any of them is no identity at all. Not configured ({@code weft.oidc.issuer} unset): every bearer token is
 * refused.
 */
@ApplicationScoped
public class IdentityProvider {
    private static final Logger LOG = Logger.getLogger(IdentityProvider.class);

    @ConfigProperty(name = "weft.oidc.issuer")
    Optional<String> issuer;
    @ConfigProperty(name = "weft.oidc.audience", defaultValue = "weft")
    String audience;
    @ConfigProperty(name = "weft.oidc.jwks-url")
    Optional<String> jwksUrl;
    @ConfigProperty(name = "weft.oidc.jwks-file")
    Optional<String> jwksFile;

    private volatile JwtConsumer consumer;

    /** Why a token was refused, in words safe to log and audit (never the token). */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    @PostConstruct
    void init() {
        if (issuer.isEmpty() || issuer.get().isBlank()) {
            return;
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setRequireSubject()
                .setExpectedIssuer(issuer.get())
                .setExpectedAudience(audience)
                // No "none", no HMAC with a key an attacker might know: only the provider's asymmetric keys.
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384);
        if (jwksUrl.isPresent() && !jwksUrl.get().isBlank()) {
            builder.setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUrl.get())));
        } else if (jwksFile.isPresent() && !jwksFile.get().isBlank()) {
            try {
                JsonWebKeySet keys = new JsonWebKeySet(Files.readString(Path.of(jwksFile.get())));
                builder.setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()));
            } catch (IOException e) {
                throw new UncheckedIOException("weft.oidc.jwks-file " + jwksFile.get() + " cannot be read", e);
            } catch (JoseException e) {
                throw new IllegalStateException("weft.oidc.jwks-file " + jwksFile.get() + " is not a JWKS: "
                        + e.getMessage(), e);
            }
        } else {
            throw new IllegalStateException("weft.oidc.issuer is set, but neither weft.oidc.jwks-url nor "
                    + "weft.oidc.jwks-file names the provider's keys");
        }
        consumer = builder.build();
        LOG.infof("identity provider %s (audience %s) verifies bearer tokens", issuer.get(), audience);
    }

    public boolean configured() {
        return consumer != null;
    }

    /** The token's claims if it is valid for Weft. */
    public JwtClaims verify(String token) throws Refused {
        JwtConsumer jwt = consumer;
        if (jwt == null) {
            throw new Refused("no identity provider is configured (weft.oidc.issuer)");
        }
        try {
            return jwt.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new Refused(describe(e));
        }
    }

    /** jose4j's messages quote the whole token; say only which check failed. */
    private static String describe(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the token has expired";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_MISSING)) {
            return "the token is not meant for Weft (audience)";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_MISSING)) {
            return "the token was issued by another identity provider";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_MISSING)) {
            return "the token's signature is not the identity provider's";
        }
        return "the token is not valid";
    }
}
