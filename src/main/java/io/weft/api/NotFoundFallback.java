package io.weft.api;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Paths nobody serves answer 404 as problem+json too, not the HTTP server's plain default page. */
@ApplicationScoped
public class NotFoundFallback {

    void register(@Observes Router router) {
        router.route().last().handler(ctx -> {
            String path = ctx.request().path();
            Problem problem = Problem.of(404, "not-found", "No such resource", "Nothing is served at " + path).at(path);
            ctx.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
        });
    }
}
