package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /systems/{name}}: one system's reachability history, backlog over time (a uPlot chart), last success,
 * recent failures, and its route file and mappings (read-only, from {@code /api/systems/{name}/files/...}).
 */
@Path("/systems")
@Blocking
public class SystemPage {
    @Inject
    Console console;
    @Inject
    ConsoleApi api;
    @Inject
    Template system;

    @GET
    @Path("{name}")
    @Produces(MediaType.TEXT_HTML)
    @SuppressWarnings("unchecked")
    public TemplateInstance show(@PathParam("name") String name) {
        TemplateInstance page = console.page(system, "landscape");
        Console.Answer answer = api.system(name);
        Map<String, Object> s = answer.data() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        // The chart's series as uPlot takes them: [[unix seconds...], [backlog...]].
        List<Object> times = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Object sample : (List<Object>) s.getOrDefault("backlogHistory", List.of())) {
            Map<String, Object> point = (Map<String, Object>) sample;
            times.add(Instant.parse(String.valueOf(point.get("at"))).getEpochSecond());
            values.add(point.get("backlog"));
        }
        return page.data("name", name).data("s", s).data("problem", answer.problem())
                .data("chart", console.compact(List.of(times, values))).data("samples", times.size());
    }
}
