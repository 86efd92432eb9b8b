package io.weft.console.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.weft.api.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every console page needs: the logged-in operator (anonymous is sent to the login page, never shown data),
 * the page frame's data, and the operations API's answers as plain maps and lists, so the templates show exactly
 * what {@code /api} answers.
 */
@RequestScoped
public class Console {
    @Inject
    SecurityIdentity identity;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "weft.console.tracing-url")
    Optional<String> tracingUrl;

    /** The operator on this request; a request without a login is redirected to {@code /login}. */
    public Viewer viewer() {
        if (identity.isAnonymous()) {
            throw new LoginRequired();
        }
        return Viewer.of(identity);
    }

    /** A page: its template with the frame's data (operator, active tab) set. */
    public TemplateInstance page(Template template, String tab) {
        return template.data("viewer", viewer()).data("tab", tab);
    }

    /** An API answer as maps and lists (what its JSON says), or the problem it answered. */
    public Answer call(Supplier<?> api) {
        try {
            return new Answer(json.convertValue(api.get(), Object.class), null);
        } catch (ProblemException e) {
            return new Answer(null, e.problem().detail());
        }
    }

    /** The trace's page in the plant's tracing UI ({@code weft.console.tracing-url} with {traceId}), or null. */
    public String traceLink(Object traceId) {
        if (traceId == null || tracingUrl.isEmpty() || tracingUrl.get().isBlank()) {
            return null;
        }
        return tracingUrl.get().replace("{traceId}", traceId.toString());
    }

    /** JSON on one line, for a data attribute. */
    public String compact(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON as a person reads it: indented. */
    public String pretty(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** One API answer: its data, or the problem's detail. */
    public record Answer(Object data, String problem) {
    }
}
