package io.weft.console.pages;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /search}: the journal by business key, type, source, status and time, a page at a time (older pages by
 * the last result's time); a business key shows the whole story, every message that carried it with each delivery.
 * {@code /messages/{id}}: one message with every delivery and attempt.
 */
@Path("/")
@Blocking
public class SearchPage {
    static final int PAGE = 25;
    static final List<String> STATUSES = List.of("PENDING", "RETRYING", "DELIVERED", "DEAD");

    @Inject
    Console console;
    @Inject
    ConsoleApi api;
    @Inject
    Template search;
    @Inject
    Template message;
    @Inject
    Template statuses;

    @GET
    @Path("search")
    @Produces(MediaType.TEXT_HTML)
    @SuppressWarnings("unchecked")
    public TemplateInstance find(@QueryParam("businessKey") String businessKey, @QueryParam("type") String type,
                                 @QueryParam("source") String source, @QueryParam("destination") String destination,
                                 @QueryParam("status") String status, @QueryParam("since") String since,
                                 @QueryParam("until") String until, @QueryParam("before") String before) {
        TemplateInstance page = console.page(search, "search");
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("businessKey", blank(businessKey));
        filter.put("type", blank(type));
        filter.put("source", blank(source));
        filter.put("destination", blank(destination));
        filter.put("status", blank(status));
        filter.put("since", blank(since));
        filter.put("until", blank(until));
        boolean asked = filter.values().stream().anyMatch(v -> !v.isEmpty());
        Console.Answer answer = asked ? api.search(businessKey, type, source, destination, status, since, until, before,
                String.valueOf(PAGE + 1))
                : new Console.Answer(List.of(), null);
        List<Map<String, Object>> found = answer.data() == null ? List.of() : (List<Map<String, Object>>) answer.data();
        boolean more = found.size() > PAGE;
        List<Map<String, Object>> shown = more ? found.subList(0, PAGE) : found;
        List<Object> story = new ArrayList<>();
        if (!filter.get("businessKey").isEmpty()) {
            // The whole story: every message of this key, oldest first, each with its deliveries.
            for (int i = shown.size() - 1; i >= 0; i--) {
                Console.Answer detail = api.message(String.valueOf(shown.get(i).get("id")));
                if (detail.data() != null) {
                    story.add(detail.data());
                }
            }
        }
        String older = more ? olderLink(filter, String.valueOf(shown.get(shown.size() - 1).get("id"))) : null;
        return page.data("filter", filter).data("statuses", STATUSES).data("asked", asked).data("results", shown).data("story", story)
                .data("older", older).data("problem", answer.problem());
    }

    @GET
    @Path("messages/{id}")
    @Produces(MediaType.TEXT_HTML)
    @SuppressWarnings("unchecked")
    public TemplateInstance detail(@PathParam("id") String id) {
        TemplateInstance page = console.page(message, "search");
        Console.Answer answer = api.message(id);
        Map<String, Object> detail = answer.data() == null ? Map.of() : (Map<String, Object>) answer.data();
        Map<String, Object> summary = (Map<String, Object>) detail.getOrDefault("message", Map.of());
        Object envelope = detail.get("envelope");
        Object data = envelope instanceof Map<?, ?> e ? e.get("data") : null;
        Map<String, Object> meta = new LinkedHashMap<>();
        if (envelope instanceof Map<?, ?> e) {
            ((Map<String, Object>) e).forEach((k, v) -> {
                if (!"data".equals(k) && !"dataHidden".equals(k)) {
                    meta.put(k, v);
                }
            });
        }
        String type = String.valueOf(summary.get("type"));
        Map<String, String> outbound = new LinkedHashMap<>();
        for (Object d : (List<Object>) detail.getOrDefault("deliveries", List.of())) {
            String destination = String.valueOf(((Map<String, Object>) d).get("destination"));
            outbound.put(destination, mappingOf(destination, type + ".out."));
        }
        return page.data("id", id).data("summary", summary).data("meta", meta)
                .data("inbound", summary.get("source") == null ? null : mappingOf(String.valueOf(summary.get("source")), type + ".in."))
                .data("outbound", outbound)
                .data("payload", data == null ? null : console.pretty(data))
                .data("hidden", envelope instanceof Map<?, ?> e ? e.get("dataHidden") : null)
                .data("deliveries", detail.getOrDefault("deliveries", List.of()))
                .data("traceLink", console.traceLink(summary.get("traceId")))
                .data("problem", answer.problem());
    }

    /** A fragment: the statuses of some messages (after a replay, polled until they are delivered). */
    @GET
    @Path("statuses")
    @Produces(MediaType.TEXT_HTML)
    @SuppressWarnings("unchecked")
    public TemplateInstance statuses(@QueryParam("ids") String ids) {
        console.viewer();
        List<Object> rows = new ArrayList<>();
        String[] list = ids == null ? new String[0] : ids.split(",");
        for (int i = 0; i < Math.min(list.length, 200); i++) {
            Console.Answer detail = api.message(list[i].trim());
            if (detail.data() instanceof Map<?, ?> d) {
                rows.add(d);
            }
        }
        return statuses.data("rows", rows);
    }

    /**
     * The mapping file a system uses for a type in one direction, by the mappings' naming convention
     * ({@code mappings/<system>/<Type>.in.*} and {@code .out.*}), as the system's page lists its files; null when
     * it has none of that name (a versioned API keeps its mappings in {@code v<N>/} folders).
     */
    @SuppressWarnings("unchecked")
    private String mappingOf(String system, String prefix) {
        Console.Answer answer = api.system(system);
        if (!(answer.data() instanceof Map<?, ?> s)) {
            return null;
        }
        return ((List<Object>) ((Map<String, Object>) s).getOrDefault("mappings", List.of())).stream().map(String::valueOf)
                .filter(f -> f.startsWith(prefix)).findFirst().orElse(null);
    }

    private static String blank(String value) {
        return value == null ? "" : value.trim();
    }

    /** The next page: the same filter, after the last message shown (a cursor, so no message is skipped). */
    private static String olderLink(Map<String, String> filter, String lastId) {
        StringBuilder link = new StringBuilder("/search?");
        filter.forEach((k, v) -> {
            if (!v.isEmpty()) {
                link.append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)).append('&');
            }
        });
        return link.append("before=").append(java.net.URLEncoder.encode(lastId, java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
