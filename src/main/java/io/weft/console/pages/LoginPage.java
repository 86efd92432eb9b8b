package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * The login form (it posts to Quarkus form authentication's {@code /j_security_check}) and logout, which drops
 * the session cookie.
 */
@Path("/")
public class LoginPage {
    @Inject
    Template login;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@QueryParam("error") String error) {
        return login.data("error", error != null);
    }

    @POST
    @Path("logout")
    public Response logout(@Context RoutingContext http) {
        FormAuthenticationMechanism.logout(http);
        return Response.seeOther(URI.create("/login")).build();
    }
}
