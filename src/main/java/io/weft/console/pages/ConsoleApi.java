package io.weft.console.pages;

import io.weft.ops.MessagesResource;
import io.weft.ops.RejectionsResource;
import io.weft.ops.SystemsResource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations API endpoints the pages show, called in-process on the same beans that answer {@code /api}, so
 * the same role checks and payload rules apply. Each answer is the endpoint's JSON as maps and lists.
 */
@RequestScoped
public class ConsoleApi {
    @Inject
    Console console;
    @Inject
    SystemsResource systems;
    @Inject
    MessagesResource messages;
    @Inject
    RejectionsResource rejections;

    public Console.Answer systems() {
        return console.call(systems::list);
    }

    public Console.Answer search(String businessKey, String type, String source, String status, String since,
                                 String until, String limit) {
        return console.call(() -> messages.search(businessKey, type, source, status, since, until, limit));
    }

    public Console.Answer message(String id) {
        return console.call(() -> messages.message(id));
    }

    public Console.Answer deliveries(String status, String destination, String limit) {
        return console.call(() -> messages.deliveries(status, destination, limit));
    }

    public Console.Answer rejections(String source, String since, String limit) {
        return console.call(() -> rejections.search(source, null, since, limit));
    }

    /**
     * {@code GET /api/landscape}. Until that endpoint is there, the systems of {@code /api/systems} without flows,
     * and a note saying so.
     */
    @SuppressWarnings("unchecked")
    public Console.Answer landscape() {
        Console.Answer listed = systems();
        if (listed.data() == null) {
            return listed;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object s : (List<Object>) listed.data()) {
            Map<String, Object> system = new LinkedHashMap<>((Map<String, Object>) s);
            system.put("oldestWaitingSeconds", system.get("oldestPendingAgeSeconds"));
            list.add(system);
        }
        return new Console.Answer(Map.of("systems", list, "flows", List.of()),
                "flows are not shown: GET /api/landscape is not in this build yet");
    }

    /**
     * {@code GET /api/failures}. Until that endpoint is there, the DEAD deliveries of {@code /api/deliveries} grouped
     * here by destination and last error, with a note.
     */
    @SuppressWarnings("unchecked")
    public Console.Answer failures() {
        Console.Answer dead = deliveries("DEAD", null, "1000");
        if (dead.data() == null) {
            return dead;
        }
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (Object d : (List<Object>) dead.data()) {
            Map<String, Object> delivery = (Map<String, Object>) d;
            String key = delivery.get("destination") + "\u0000" + delivery.get("lastError");
            Map<String, Object> group = groups.computeIfAbsent(key, k -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("destination", delivery.get("destination"));
                g.put("error", delivery.get("lastError"));
                g.put("count", 0);
                g.put("messageIds", new ArrayList<>());
                return g;
            });
            group.put("count", (Integer) group.get("count") + 1);
            ((List<Object>) group.get("messageIds")).add(delivery.get("messageId"));
        }
        return new Console.Answer(new ArrayList<>(groups.values()),
                "bulk replay needs POST /api/replays, which is not in this build yet: replay one message at a time");
    }

    /** Whether this build has the bulk replay endpoints ({@code /api/replays}). */
    public boolean bulkReplay() {
        return false;
    }
}
