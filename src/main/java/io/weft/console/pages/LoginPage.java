package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
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
    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name")
    String cookieName;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@QueryParam("error") String error) {
        return login.data("error", error != null);
    }

    /** Drops the session cookie (expired at once, same name, path and attributes) and shows the login form. */
    @POST
    @Path("logout")
    public Response logout(@Context RoutingContext http) {
        NewCookie expired = new NewCookie.Builder(cookieName).value("").path("/").maxAge(0).httpOnly(true)
                .secure(http.request().isSSL()).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create("/login")).cookie(expired).build();
    }
}
