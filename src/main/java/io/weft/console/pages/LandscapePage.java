package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** {@code /}: the landscape, every system and every flow, refreshed every few seconds. */
@Path("/")
@Blocking
public class LandscapePage {
    @Inject
    Console console;
    @Inject
    ConsoleApi api;
    @Inject
    Template landscape;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @SuppressWarnings("unchecked")
    public TemplateInstance show() {
        TemplateInstance page = console.page(landscape, "landscape");
        Console.Answer answer = api.landscape();
        Map<String, Object> data = answer.data() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return page.data("drawing", LandscapeLayout.draw(data))
                .data("systems", data.getOrDefault("systems", List.of()))
                .data("flows", data.getOrDefault("flows", List.of()))
                .data("problem", answer.problem());
    }
}
