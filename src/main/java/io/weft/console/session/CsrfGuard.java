package io.weft.console.session;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.json.Json;
import io.weft.api.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cross-site request forgery: a request to {@code /api} that changes something and is authenticated by the console's
 * session cookie (not by an Authorization header, which a browser never adds by itself) must carry the header
 * {@code HX-Request}, which htmx and the console's script send and which a form or link on another site cannot set.
 * The cookie is SameSite=Strict as well; this is the second fence.
 */
@ApplicationScoped
public class CsrfGuard {
    public static final String HEADER = "HX-Request";

    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential")
    String cookieName;

    void register(@Observes Router router) {
        // Before the REST endpoints (order 0 and later), after the body-less security setup.
        router.route("/api/*").order(-100).handler(this::check);
    }

    void check(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        boolean changes = !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method));
        if (changes && ctx.request().getHeader("Authorization") == null && ctx.request().getCookie(cookieName) != null
                && ctx.request().getHeader(HEADER) == null) {
            String path = ctx.request().path();
            Problem problem = Problem.of(403, "csrf", "Cross-site request refused", "A change through the console's "
                    + "session needs the " + HEADER + " header (sent by the console's pages); scripts log in with "
                    + "HTTP Basic or a bearer token instead").at(path);
            ctx.response().setStatusCode(403).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
            return;
        }
        ctx.next();
    }
}
