package io.weft.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.weft.api.Problem;
import io.weft.audit.AuditTrail;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refused logins and missing rights as problem+json: 401 with the challenge, 403 naming what is missing. */
public class SecurityProblems {
    /**
     * The 401's challenge for the operations API: HTTP Basic (an operator account) or a bearer token. Here, not in
     * security.operators whose login sends it too, so that package depends on this one and not the reverse.
     */
    public static final String CHALLENGE = "Basic realm=\"weft\", Bearer realm=\"weft\"";
    /** Where the console's login form posts (Quarkus form authentication). */
    static final String CONSOLE_LOGIN = "/j_security_check";
    @Context
    UriInfo uri;
    @Context
    Request request;
    @Inject
    SecurityIdentity identity;
    @Inject
    AuditTrail audit;

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e) {
        if (CONSOLE_LOGIN.equals(path())) {
            // The console's login form (already audited by ConsoleLogin): back to the form, which says so.
            return Response.seeOther(java.net.URI.create("/login?error=1")).build();
        }
        return unauthenticated(e.getMessage() == null ? "the credentials were refused" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e) {
        return unauthenticated("the operations API needs a login: HTTP Basic (an operator account) or a bearer token "
                + "from the identity provider");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        String actor = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        String endpoint = request.getMethod() + " " + path();
        audit.recordRefusal(AuditTrail.Entry.of(actor, "api-forbidden", "operations API", AuditTrail.REFUSED, null,
                endpoint, "roles " + identity.getRoles()));
        return Problem.of(403, "forbidden", "Not allowed", actor + " (roles " + identity.getRoles()
                + ") may not " + endpoint).at(path()).toResponse();
    }

    @ServerExceptionMapper
    public Response notGranted(PublishRights.NotGranted e) {
        return Problem.of(403, "type-not-granted", "Type not granted", e.getMessage()).at(path()).toResponse();
    }

    private Response unauthenticated(String detail) {
        return Response.fromResponse(Problem.of(401, "unauthenticated", "Authentication required", detail)
                .at(path()).toResponse()).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    private String path() {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
