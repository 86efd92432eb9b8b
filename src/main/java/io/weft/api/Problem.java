package io.weft.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every 4xx/5xx Weft answers over HTTP. {@code errors} lists
 * individual findings (a schema violation per field, say) when there is more than one thing to say.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<?> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("https://weft.io/problems/" + slug, title, status, detail, null, null);
    }

    public Problem withErrors(List<?> findings) {
        return new Problem(type, title, status, detail, instance, findings);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
