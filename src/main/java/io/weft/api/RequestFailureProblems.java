package io.weft.api;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Requests the HTTP router refuses before any resource sees them (a query or path with a broken
 * percent-encoding, say) answer problem+json like every other 4xx, instead of the router's empty 400.
 * Failures with a 5xx or no status go on to Quarkus's own handler, which logs them.
 */
@ApplicationScoped
public class RequestFailureProblems {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status < 400 || status >= 500 || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            String detail = ctx.failure() == null || ctx.failure().getMessage() == null
                    ? "The request could not be read (its target or a header is malformed)"
                    : "The request could not be read: " + ctx.failure().getMessage();
            Problem problem = Problem.of(status, "bad-request", "Bad request", detail);
            ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
        });
    }
}
