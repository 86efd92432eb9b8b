package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The list pages: destinations (pause and resume), rejections, and the flow inventory with its window, ranking,
 * trend and CSV link.
 */
@Path("/")
@Blocking
public class OperationsPages {
    static final List<String> WINDOWS = List.of("hour", "day", "week");

    @Inject
    Console console;
    @Inject
    ConsoleApi api;
    @Inject
    Template destinations;
    @Inject
    Template rejections;
    @Inject
    Template flows;

    @GET
    @Path("destinations")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance destinations() {
        TemplateInstance page = console.page(destinations, "destinations");
        Console.Answer answer = api.destinations();
        return page.data("destinations", answer.data() == null ? List.of() : answer.data()).data("problem", answer.problem());
    }

    @GET
    @Path("rejections")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance rejections(@QueryParam("source") String source, @QueryParam("since") String since) {
        TemplateInstance page = console.page(rejections, "rejections");
        Console.Answer answer = api.rejections(source, since, "100");
        return page.data("rejections", answer.data() == null ? List.of() : answer.data())
                .data("source", source == null ? "" : source).data("since", since == null ? "" : since)
                .data("problem", answer.problem());
    }

    @GET
    @Path("flows")
    @Produces(MediaType.TEXT_HTML)
    @SuppressWarnings("unchecked")
    public TemplateInstance flows(@QueryParam("window") String window, @Context HttpHeaders headers) {
        TemplateInstance page = console.page(flows, "flows");
        String chosen = window == null || window.isBlank() ? "hour" : window;
        Console.Answer answer = api.flows(chosen, headers);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (answer.data() instanceof List<?> list) {
            for (Object r : list) {
                Map<String, Object> row = new LinkedHashMap<>((Map<String, Object>) r);
                row.put("spark", Sparkline.points((List<Object>) row.getOrDefault("trend", List.of())));
                row.put("percent", Math.round(LandscapeLayout.decimal(row.get("failureRate")) * 1000) / 10.0);
                rows.add(row);
            }
        }
        return page.data("rows", rows).data("window", chosen).data("windows", WINDOWS).data("problem", answer.problem());
    }
}
