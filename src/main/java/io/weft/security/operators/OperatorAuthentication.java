package io.weft.security.operators;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;
import io.weft.audit.AuditTrail;
import io.weft.security.IdentityProvider;
import io.weft.security.SecurityProblems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * How an operator logs in to the operations API ({@code /api/...}): HTTP Basic against the embedded accounts
 * ({@link Operators}), or a bearer token from the plant's identity provider, whose claim
 * {@code weft.oidc.roles-claim} lists the roles and {@code weft.oidc.username-claim} names the person. No
 * credentials: anonymous, which every {@code /api} endpoint refuses with 401. A failed login is recorded in
 * the audit trail (the name presented, never the password or the token).
 */
@ApplicationScoped
public class OperatorAuthentication implements HttpAuthenticationMechanism {
    @Inject
    Operators operators;
    @Inject
    IdentityProvider identityProvider;
    @Inject
    AuditTrail audit;
    @ConfigProperty(name = "weft.oidc.roles-claim", defaultValue = "groups")
    String rolesClaim;
    @ConfigProperty(name = "weft.oidc.username-claim", defaultValue = "preferred_username")
    String usernameClaim;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null || !context.normalizedPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        String remote = context.request().remoteAddress() == null ? null : context.request().remoteAddress().hostAddress();
        String endpoint = context.request().method() + " " + context.normalizedPath();
        // PBKDF2 and the audit insert block: off the event loop.
        return Uni.createFrom().item(() -> login(authorization, remote, endpoint))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private SecurityIdentity login(String authorization, String remote, String endpoint) {
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = decodeBasic(authorization.substring(6).trim());
            if (pair == null) {
                throw refused("(unreadable)", remote, endpoint, "the Basic credentials are not base64 name:password");
            }
            return operators.verify(pair[0], pair[1])
                    .map(account -> identity(account.name(), account.roles(), "basic"))
                    .orElseThrow(() -> refused(pair[0], remote, endpoint, "wrong name or password"));
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            try {
                JwtClaims claims = identityProvider.verify(authorization.substring(7).trim());
                String name = claims.getClaimValueAsString(usernameClaim);
                name = name != null ? name : claims.getSubject();
                List<String> roles = claims.hasClaim(rolesClaim) ? claims.getStringListClaimValue(rolesClaim) : List.of();
                return identity(name, Roles.expand(roles), "oidc");
            } catch (IdentityProvider.Refused e) {
                throw refused("(token)", remote, endpoint, e.getMessage());
            } catch (MalformedClaimException e) {
                throw refused("(token)", remote, endpoint, "the token's claims are malformed");
            }
        }
        throw refused("(unknown scheme)", remote, endpoint, "only Basic and Bearer credentials are accepted");
    }

    private AuthenticationFailedException refused(String actor, String remote, String endpoint, String reason) {
        audit.recordRefusal(AuditTrail.Entry.of(actor, "api-unauthenticated", "operations API", AuditTrail.REFUSED,
                remote, endpoint, reason));
        return new AuthenticationFailedException(reason);
    }

    private static SecurityIdentity identity(String name, Set<String> roles, String method) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRoles(roles)
                .addAttribute("weft.login", method).build();
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The Basic/Bearer challenge is the API's. Elsewhere (the console's login form) there is none from here, so the
     * form login's own challenge answers: a redirect to the login page, or to its error page after a wrong password,
     * never a browser's Basic dialog.
     */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!context.normalizedPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", SecurityProblems.CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}
