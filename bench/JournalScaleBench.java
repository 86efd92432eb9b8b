import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * bench/journal-scale.sh's latency part: the journal queries of the operations API, through Weft's HTTP API, one
 * request at a time on one keep-alive connection, each kind with parameters drawn at random from the journal (a
 * seeded sample read from the database first), after a warm-up. Writes a Markdown table and a TSV of p50/p95/p99.
 * Run with Weft's class path (for the PostgreSQL driver):
 * {@code java -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*" bench/JournalScaleBench.java ...}.
 */
public class JournalScaleBench {

    /** One kind of request: its name, the query as the API gets it, and a fresh query string per request. */
    record Kind(String name, String what, Supplier<String> path) {
        /** The chart's label: short enough for a bar. */
        String label() {
            return name.replace("business key", "key").replace("type + destination", "type+dest")
                    .replace(" messages", "").replace(" deliveries", " deliv.").replace(", next page", "+cursor");
        }
    }

    record Figures(String name, String label, String what, int n, double p50, double p95, double p99, double max, double mean,
                   int lastRows, int errors) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String weft = o.get("weft");
        String jdbc = o.get("jdbc");
        int requests = Integer.parseInt(o.getOrDefault("requests", "400"));
        long budgetNs = Long.parseLong(o.getOrDefault("budget-s", "120")) * 1_000_000_000L;
        Path md = Path.of(o.get("md"));
        Path tsv = Path.of(o.get("tsv"));
        String auth = "Basic " + Base64.getEncoder().encodeToString(o.get("auth").getBytes(StandardCharsets.UTF_8));
        Random random = new Random(14);

        Sample s;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            s = Sample.read(c, requests + requests / 4);
        }
        List<Kind> kinds = List.of(
                new Kind("business key", "`/api/messages?businessKey=<random key>`",
                        () -> "/api/messages?businessKey=" + pick(random, s.keys)),
                new Kind("DEAD messages", "`/api/messages?status=DEAD` (first page)",
                        () -> "/api/messages?status=DEAD"),
                new Kind("DEAD messages, next page", "`/api/messages?status=DEAD&before=<random DEAD message>`",
                        () -> "/api/messages?status=DEAD&before=" + pick(random, s.deadMessages)),
                new Kind("DEAD deliveries", "`/api/deliveries?status=DEAD` (first page)",
                        () -> "/api/deliveries?status=DEAD"),
                new Kind("failures", "`/api/failures` (all DEAD deliveries grouped by cause)",
                        () -> "/api/failures"),
                new Kind("RETRYING messages", "`/api/messages?status=RETRYING` (first page)",
                        () -> "/api/messages?status=RETRYING"),
                new Kind("DELIVERED messages", "`/api/messages?status=DELIVERED` (first page)",
                        () -> "/api/messages?status=DELIVERED"),
                new Kind("type + destination, next page",
                        "`/api/messages?type=ProductionOrder&destination=mes&before=<random such message>`",
                        () -> "/api/messages?type=ProductionOrder&destination=mes&before=" + pick(random, s.orderCursors)),
                new Kind("type, next page", "`/api/messages?type=SalesOrder&before=<random message>`",
                        () -> "/api/messages?type=SalesOrder&before=" + pick(random, s.anyCursors)));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Figures> figures = new ArrayList<>();
        for (Kind kind : kinds) {
            figures.add(measure(http, weft, auth, kind, requests, budgetNs));
            System.err.printf(Locale.ROOT, "%-32s p50 %7.1f  p95 %7.1f  p99 %7.1f ms%n", kind.name(),
                    figures.get(figures.size() - 1).p50(), figures.get(figures.size() - 1).p95(),
                    figures.get(figures.size() - 1).p99());
        }
        write(md, tsv, figures, requests);
    }

    /**
     * {@code requests} requests after a quarter as many warm-up ones, within {@code budgetNs}: a query that takes
     * seconds stops its warm-up at a quarter of the budget and its measurement at the budget, with fewer requests
     * (the count is in the result).
     */
    static Figures measure(HttpClient http, String weft, String auth, Kind kind, int requests, long budgetNs)
            throws Exception {
        int warmup = Math.max(10, requests / 4);
        double[] ms = new double[requests];
        int errors = 0;
        int rows = 0;
        int measured = 0;
        long start = System.nanoTime();
        for (int i = -warmup; i < requests; i++) {
            long spent = System.nanoTime() - start;
            if (i < 0 && spent > budgetNs / 4) {
                i = -1;
                continue;
            }
            if (i >= 0 && spent > budgetNs && measured >= 5) {
                break;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(weft + kind.path().get()))
                    .header("Authorization", auth).timeout(Duration.ofSeconds(60)).GET().build();
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (response.statusCode() != 200) {
                errors++;
                if (errors < 3) {
                    System.err.println(kind.name() + ": HTTP " + response.statusCode() + " " + response.body());
                }
            }
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
                rows = count(response.body());
                measured++;
            }
        }
        ms = Arrays.copyOf(ms, measured);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Figures(kind.name(), kind.label(), kind.what(), measured, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted[sorted.length - 1], Arrays.stream(ms).average().orElse(0), rows, errors);
    }

    /** Entries of a JSON array answer (objects at its top level): messages, deliveries or failure groups. */
    static int count(String body) {
        int depth = 0;
        int n = 0;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                if (ch == '{' && depth == 1) {
                    n++;
                }
                depth++;
            } else if (ch == '}' || ch == ']') {
                depth--;
            }
        }
        return n;
    }

    static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    static void write(Path md, Path tsv, List<Figures> figures, int requests) throws Exception {
        StringBuilder m = new StringBuilder("| query | request | requests | p50 ms | p95 ms | p99 ms | max ms | mean ms | "
                + "rows in answer | errors | p99 ≤ 50 ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        StringBuilder t = new StringBuilder("query\tp50 ms\tp95 ms\tp99 ms\n");
        for (Figures f : figures) {
            m.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %s |%n",
                    f.name(), f.what(), f.n(), f.p50(), f.p95(), f.p99(), f.max(), f.mean(), f.lastRows(), f.errors(),
                    f.p99() <= 50 ? "yes" : "**no**"));
            t.append(String.format(Locale.ROOT, "%s\t%.1f\t%.1f\t%.1f%n", f.label(), f.p50(), f.p95(), f.p99()));
        }
        m.append("\nUp to ").append(requests).append(" measured requests per query, one at a time on one keep-alive "
                + "connection, after up to ").append(Math.max(10, requests / 4)).append(" warm-up requests of the same "
                + "kind; a query slower than its time budget is measured with fewer (column requests).\n");
        Files.writeString(md, m.toString());
        Files.writeString(tsv, t.toString());
    }

    static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }

    /** Parameters drawn from the journal: business keys, and cursors (message ids) for the next-page requests. */
    record Sample(List<String> keys, List<String> deadMessages, List<String> orderCursors, List<String> anyCursors) {

        static Sample read(Connection c, int n) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT setseed(0.14)");
            }
            // TABLESAMPLE picks random pages of the whole journal (about 40 n rows); ORDER BY random() then random
            // rows of those.
            String pct = column(c, "SELECT LEAST(100, 100 * 40 * " + n + " / GREATEST(reltuples, 1)) FROM pg_class "
                    + "WHERE relname = 'message'").get(0);
            return new Sample(
                    column(c, "SELECT subject FROM message TABLESAMPLE SYSTEM (" + pct + ") ORDER BY random() LIMIT " + n),
                    column(c, "SELECT message_id FROM delivery WHERE status = 'DEAD' ORDER BY random() LIMIT " + n),
                    column(c, "SELECT m.id FROM message m TABLESAMPLE SYSTEM (" + pct + ") WHERE m.type = 'ProductionOrder' "
                            + "AND EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.id AND d.destination = 'mes') "
                            + "ORDER BY random() LIMIT " + n),
                    column(c, "SELECT id FROM message TABLESAMPLE SYSTEM (" + pct + ") ORDER BY random() LIMIT " + n));
        }

        private static List<String> column(Connection c, String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            if (values.isEmpty()) {
                throw new IllegalStateException("no sample for " + sql);
            }
            return values;
        }
    }
}
