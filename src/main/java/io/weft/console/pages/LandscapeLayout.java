package io.weft.console.pages;

import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The landscape as an SVG drawing, laid out from the data alone (so an added system appears without touching the
 * console): systems that send on the left, canonical types in the middle, systems that receive on the right; each
 * flow is an edge source → type → destination. A system that both sends and receives appears on both sides.
 */
public final class LandscapeLayout {
    static final int WIDTH = 1000;
    static final int NODE_W = 210;
    static final int NODE_H = 66;
    static final int ROW = 84;
    static final int TOP = 34;
    static final int[] COLUMNS = {10, (WIDTH - NODE_W) / 2, WIDTH - NODE_W - 10};

    @TemplateData
    public record Node(String id, String name, String kind, int x, int y, String css, String line1, String line2,
                       String href) {
        public int textX() {
            return x + 10;
        }

        public int nameY() {
            return y + 22;
        }

        public int line1Y() {
            return y + 40;
        }

        public int line2Y() {
            return y + 56;
        }
    }

    @TemplateData
    public record Edge(String path, String css, String label, int labelX, int labelY, String title) {
    }

    @TemplateData
    public record Drawing(int width, int height, List<Node> nodes, List<Edge> edges) {
    }

    private LandscapeLayout() {
    }

    /** {@code landscape}: the JSON of {@code GET /api/landscape} as maps ({@code systems}, {@code flows}). */
    @SuppressWarnings("unchecked")
    public static Drawing draw(Map<String, Object> landscape) {
        List<Map<String, Object>> systems = (List<Map<String, Object>>) landscape.getOrDefault("systems", List.of());
        List<Map<String, Object>> flows = (List<Map<String, Object>>) landscape.getOrDefault("flows", List.of());
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        systems.forEach(s -> byName.put(String.valueOf(s.get("name")), s));

        TreeSet<String> senders = new TreeSet<>();
        TreeSet<String> receivers = new TreeSet<>();
        systems.forEach(s -> {
            if (Boolean.TRUE.equals(s.get("sends"))) {
                senders.add(String.valueOf(s.get("name")));
            }
            if (Boolean.TRUE.equals(s.get("receives"))) {
                receivers.add(String.valueOf(s.get("name")));
            }
        });
        // Types in the order of their first sender, which keeps most edges from crossing.
        List<String> types = new ArrayList<>();
        for (String sender : senders) {
            flows.stream().filter(f -> sender.equals(f.get("source"))).map(f -> String.valueOf(f.get("type")))
                    .sorted().filter(t -> !types.contains(t)).forEach(types::add);
        }
        flows.stream().map(f -> String.valueOf(f.get("type"))).filter(t -> !types.contains(t)).forEach(types::add);
        flows.forEach(f -> {
            senders.add(String.valueOf(f.get("source")));
            receivers.add(String.valueOf(f.get("destination")));
        });

        List<Node> nodes = new ArrayList<>();
        Map<String, Node> left = column(senders, 0, "source", byName, nodes);
        Map<String, Node> middle = new LinkedHashMap<>();
        int rows = Math.max(Math.max(senders.size(), receivers.size()), types.size());
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            long messages = flows.stream().filter(f -> type.equals(f.get("type"))).mapToLong(f -> number(hour(f).get("messages"))).sum();
            Node node = new Node("type-" + type, type, "type", COLUMNS[1], y(i, types.size(), rows), "type",
                    "canonical type", messages + " messages, last hour", "/flows");
            middle.put(type, node);
            nodes.add(node);
        }
        Map<String, Node> right = column(receivers, 2, "destination", byName, nodes);

        List<Edge> edges = new ArrayList<>();
        Map<String, long[]> inbound = new LinkedHashMap<>();
        for (Map<String, Object> flow : flows) {
            String key = flow.get("source") + "\u0000" + flow.get("type");
            inbound.computeIfAbsent(key, k -> new long[1])[0] += number(hour(flow).get("messages"));
        }
        inbound.forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            Node from = left.get(parts[0]);
            Node to = middle.get(parts[1]);
            // Routes without traffic in the last hour are drawn faint and unlabelled, so the busy ones read.
            edges.add(edge(from, to, count[0] > 0 ? "flow" : "flow idle", count[0] > 0 ? count[0] + "/h" : "",
                    parts[0] + " publishes " + parts[1] + ": " + count[0] + " messages in the last hour"));
        });
        for (Map<String, Object> flow : flows) {
            Map<String, Object> hour = hour(flow);
            long dead = number(hour.get("dead"));
            long failed = number(hour.get("failedAttempts"));
            double rate = flow.get("failureRate") instanceof Number n ? n.doubleValue() : 0;
            long delivered = number(hour.get("delivered"));
            boolean idle = number(hour.get("messages")) == 0 && delivered == 0 && failed == 0 && dead == 0;
            String css = dead > 0 ? "flow dead" : failed > 0 || rate > 0 ? "flow failing" : idle ? "flow idle" : "flow";
            String label = idle ? "" : delivered + " ok" + (failed > 0 ? " · " + failed + " failed" : "")
                    + (dead > 0 ? " · " + dead + " DEAD" : "");
            edges.add(edge(middle.get(String.valueOf(flow.get("type"))), right.get(String.valueOf(flow.get("destination"))),
                    css, label, flow.get("type") + " to " + flow.get("destination") + ": " + label + ", failure rate "
                            + Math.round(rate * 1000) / 10.0 + "% (last hour)"));
        }
        return new Drawing(WIDTH, TOP + rows * ROW + 10, nodes, busyOnTop(edges));
    }

    private static Map<String, Node> column(TreeSet<String> names, int column, String kind,
                                            Map<String, Map<String, Object>> byName, List<Node> nodes) {
        Map<String, Node> placed = new LinkedHashMap<>();
        int rows = Math.max(names.size(), 1);
        int i = 0;
        for (String name : names) {
            Map<String, Object> s = byName.getOrDefault(name, Map.of());
            String reach = String.valueOf(s.getOrDefault("reachability", "UNKNOWN"));
            boolean paused = Boolean.TRUE.equals(s.get("paused"));
            long dead = number(s.get("dead"));
            // Reachability, pause and DEAD are about delivering to a system: they mark its node on the right.
            boolean receiving = kind.equals("destination");
            String css = "system" + (receiving && "DOWN".equals(reach) ? " down" : "")
                    + (receiving && dead > 0 ? " dead" : "") + (receiving && paused ? " paused" : "");
            String line1 = kind.equals("source") ? "source" : (paused ? "PAUSED · " : "") + reach;
            String line2 = kind.equals("source") ? "publishes to Weft" : "backlog " + number(s.get("backlog")) + " · DEAD " + dead + " · oldest "
                    + Math.round(decimal(s.get("oldestWaitingSeconds"))) + "s";
            Node node = new Node(kind + "-" + name, name, kind, COLUMNS[column], TOP + i * ROW, css, line1, line2,
                    "/systems/" + name);
            placed.put(name, node);
            nodes.add(node);
            i++;
        }
        return placed;
    }

    private static int y(int index, int count, int rows) {
        // Centre a shorter column against the tallest one.
        return TOP + index * ROW + (rows - count) * ROW / 2;
    }

    private static Edge edge(Node from, Node to, String css, String label, String title) {
        if (from == null || to == null) {
            return new Edge("", css, "", 0, 0, title);
        }
        int x1 = from.x() + NODE_W;
        int y1 = from.y() + NODE_H / 2;
        int x2 = to.x();
        int y2 = to.y() + NODE_H / 2;
        int mid = (x1 + x2) / 2;
        String path = "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
        return new Edge(path, css, label, mid, (y1 + y2) / 2 - 4, title);
    }

    /** Sorted so that idle edges are drawn first, under the busy ones. */
    static List<Edge> busyOnTop(List<Edge> edges) {
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort(java.util.Comparator.comparing((Edge e) -> !e.css().contains("idle")));
        return sorted;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hour(Map<String, Object> flow) {
        return flow.get("lastHour") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    static double decimal(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
