package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /failures}: DEAD deliveries grouped by destination and error ({@code GET /api/failures}); replay one, a
 * selection or all of a group, each bulk replay after a preview and a confirmation ({@code /api/replays}).
 */
@Path("/failures")
@Blocking
public class FailuresPage {
    @Inject
    Console console;
    @Inject
    ConsoleApi api;
    @Inject
    Template failures;

    @GET
    @SuppressWarnings("unchecked")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show(@QueryParam("destination") String destination) {
        TemplateInstance page = console.page(failures, "failures");
        Console.Answer answer = api.failures();
        List<?> groups = answer.data() instanceof List<?> l ? l : List.of();
        if (destination != null && !destination.isBlank()) {
            groups = groups.stream().filter(g -> g instanceof Map<?, ?> m && destination.equals(m.get("destination"))).toList();
        }
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Object g : groups) {
            Map<String, Object> group = new LinkedHashMap<>((Map<String, Object>) g);
            // What "replay all of this group" asks the preview for: the group's destination, class and error.
            Map<String, Object> filter = new LinkedHashMap<>();
            filter.put("destination", group.get("destination"));
            if (group.get("outcomeClass") != null) {
                filter.put("outcomeClass", group.get("outcomeClass"));
            }
            if (group.get("error") != null) {
                filter.put("error", group.get("error"));
            }
            group.put("filter", console.compact(filter));
            shown.add(group);
        }
        return page.data("groups", shown).data("bulk", true).data("problem", answer.problem())
                .data("destination", destination == null ? "" : destination);
    }
}
