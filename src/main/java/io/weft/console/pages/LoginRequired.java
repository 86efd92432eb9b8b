package io.weft.console.pages;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/** A page asked for without a login: 303 to the login page, never a page with data (nor a problem body). */
public class LoginRequired extends RuntimeException {

    public LoginRequired() {
        super("the console needs a login", null, false, false);
    }

    /** The mapper: the most specific for this exception, so Weft's general problem mappers do not answer it. */
    public static class Mapper {
        @ServerExceptionMapper
        public Response toLogin(LoginRequired e) {
            return Response.seeOther(URI.create("/login")).build();
        }
    }
}
