package io.weft.security.inbound;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.weft.api.Problem;
import io.weft.audit.AuditTrail;
import io.weft.observe.WeftMetrics;
import io.weft.systems.KnownSystems;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * The gate in front of {@code POST /inbound/<system>/...}: the request must prove it is {@code <system>}
 * (401 with WWW-Authenticate when it proves nothing, 403 when it proves another system), stay within the
 * system's rate (429 with Retry-After) and body size (413). Runs after resource matching, on the worker
 * thread, before the body is read: a refused request reaches no route and nothing is journaled. Each
 * refusal is counted in {@code weft_inbound_rejected_total}; refused authentications go to the audit trail.
 */
public class InboundGuard {
    private static final Logger LOG = Logger.getLogger(InboundGuard.class);
    public static final String API_KEY_HEADER = "X-Api-Key";

    @Inject
    InboundAuthenticator authenticator;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    KnownSystems systems;
    @Inject
    WeftMetrics metrics;
    @Inject
    AuditTrail audit;

    @ServerRequestFilter
    public Response guard(ContainerRequestContext request, UriInfo uri, RoutingContext routing) {
        if (!uri.getPath().startsWith("/inbound/")) {
            return null;
        }
        String system = uri.getPathParameters().getFirst("system");
        if (system == null) {
            return null;
        }
        HttpServerRequest http = routing.request();
        Verdict verdict = authenticator.identify(system, request.getHeaderString(API_KEY_HEADER),
                bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)), certificateName(http));
        if (verdict.outcome() == Verdict.Outcome.FORBIDDEN && systems.sources().contains(verdict.identity())
                && !systems.sources().contains(system)) {
            // An authenticated system asking for a system no route declares: the resource's 404 says so.
            return null;
        }
        if (verdict.outcome() != Verdict.Outcome.ACCEPTED) {
            return refuse(system, verdict, http, uri);
        }
        SystemSecurity security = authenticator.settings(system);
        long wait = rateLimiter.acquire(system, security.ratePerSecond());
        if (wait > 0) {
            metrics.rejected(system, WeftMetrics.Rejection.RATE_LIMITED);
            return Response.fromResponse(Problem.of(429, "rate-limited", "Too many requests",
                    system + " may send " + format(security.ratePerSecond()) + " requests per second (weft.systems."
                            + system + ".rate-limit); try again in " + wait + " s").at(uri.getPath()).toResponse())
                    .header("Retry-After", String.valueOf(wait)).build();
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > security.maxBodyBytes()) {
            metrics.rejected(system, WeftMetrics.Rejection.TOO_LARGE);
            return BoundedBody.tooLarge(system, security.maxBodyBytes()).problem().at(uri.getPath()).toResponse();
        }
        request.setEntityStream(new BoundedBody(request.getEntityStream(), system, security.maxBodyBytes()));
        return null;
    }

    private Response refuse(String system, Verdict verdict, HttpServerRequest http, UriInfo uri) {
        boolean unauthenticated = verdict.outcome() == Verdict.Outcome.UNAUTHENTICATED;
        // An unknown name in the path is an attacker's choice: one tag for all of them, not one series each.
        String tag = systems.sources().contains(system) ? system : "unknown";
        metrics.rejected(tag, unauthenticated ? WeftMetrics.Rejection.UNAUTHENTICATED : WeftMetrics.Rejection.FORBIDDEN);
        String remote = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String actor = verdict.identity() != null ? verdict.identity() : "anonymous";
        audit.recordRefusal(AuditTrail.Entry.of(actor, unauthenticated ? "inbound-unauthenticated" : "inbound-forbidden",
                "system " + system, AuditTrail.REFUSED, remote, http.method() + " " + uri.getPath(), verdict.reason()));
        LOG.infof("inbound request to %s from %s refused (%s): %s", uri.getPath(), remote,
                unauthenticated ? "401" : "403", verdict.reason());
        if (!unauthenticated) {
            return Problem.of(403, "forbidden", "Not allowed to speak as " + system, verdict.reason())
                    .at(uri.getPath()).toResponse();
        }
        SystemSecurity security = KnownSystems.NAME.matcher(system).matches() ? authenticator.settings(system) : null;
        return Response.fromResponse(Problem.of(401, "unauthenticated", "Authentication required",
                        verdict.reason() + "; " + system + " authenticates with "
                                + (security == null ? "api-key" : security.methodNames()))
                        .at(uri.getPath()).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge(security)).build();
    }

    private static String challenge(SystemSecurity security) {
        StringBuilder challenge = new StringBuilder();
        if (security == null || security.accepts(SystemSecurity.Method.API_KEY)) {
            challenge.append("ApiKey realm=\"weft\", header=\"" + API_KEY_HEADER + "\"");
        }
        if (security != null && security.accepts(SystemSecurity.Method.OIDC)) {
            challenge.append(challenge.isEmpty() ? "" : ", ").append("Bearer realm=\"weft\"");
        }
        if (security != null && security.accepts(SystemSecurity.Method.MTLS)) {
            challenge.append(challenge.isEmpty() ? "" : ", ").append("Mutual realm=\"weft\"");
        }
        return challenge.toString();
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** The subject CN of the client certificate TLS verified, or null without TLS or without a certificate. */
    private static String certificateName(HttpServerRequest http) {
        if (!http.isSSL()) {
            return null;
        }
        try {
            SSLSession session = http.sslSession();
            Certificate[] chain = session == null ? null : session.getPeerCertificates();
            if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                return null;
            }
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static String format(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }
}
