import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The embedded store's candidates measured for what a kill -9 loses and for throughput (bench/embedded-store.sh
 * runs it; JDK only, plus the H2 and PostgreSQL drivers on the class path to read the stores after a kill).
 *
 * <p>Crash rounds: Weft starts on a fresh store with the MES down (its URL a closed port), {@code orders} ERP
 * orders are posted from {@code threads} threads, and the moment the last one is answered 202 Weft gets SIGKILL.
 * Then the store is opened directly and every acknowledged id is looked up: lost = answered 202, not journaled.
 * Throughput: Weft with an MES that answers 201, {@code threads} closed-loop senders, a warm-up, then the
 * measured seconds; accepted orders per second and the answer's latency.
 */
public class EmbeddedStoreBench {
    static final String H2_URL = "jdbc:h2:file:%s/weft;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final AtomicLong ORDER = new AtomicLong(System.currentTimeMillis() % 100_000_000L * 1000);

    record Candidate(String name, String description, Map<String, String> config) {
    }

    record Crash(int acked, int journaled, int deliveries, long killMillis) {
        int lost() {
            return acked - journaled;
        }
    }

    record Throughput(double perSecond, long p50Micros, long p99Micros, int errors, long storeBytes) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path jar = Path.of(opt.getOrDefault("jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        Path scratch = Files.createDirectories(Path.of(opt.getOrDefault("scratch", "bench/target/embedded-store")));
        Path out = Path.of(opt.getOrDefault("out", "bench/results/embedded-store.md"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        int orders = Integer.parseInt(opt.getOrDefault("orders", "200"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "8"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "15"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "30"));
        List<String> names = List.of(opt.getOrDefault("candidates", "h2-lazy,h2-write-delay-0,h2-write,h2-sync-acks,h2-sync,pg").split(","));

        StringBuilder crashRows = new StringBuilder();
        StringBuilder speedRows = new StringBuilder();
        for (String name : names) {
            List<Crash> crashes = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Candidate c = candidate(name, Files.createTempDirectory(scratch.toAbsolutePath(), name + "-"));
                Crash crash = crashRound(jar, c, orders, threads, scratch);
                System.out.printf("%s crash round %d: %d answered 202, %d journaled, %d lost%n", name, r,
                        crash.acked(), crash.journaled(), crash.lost());
                crashes.add(crash);
            }
            Candidate c = candidate(name, Files.createTempDirectory(scratch.toAbsolutePath(), name + "-"));
            Throughput t = throughput(jar, c, threads, warmup, seconds, scratch);
            System.out.printf("%s: %.0f orders/s accepted, p50 %d us, p99 %d us%n", name, t.perSecond(),
                    t.p50Micros(), t.p99Micros());
            int acked = crashes.stream().mapToInt(Crash::acked).sum();
            int lost = crashes.stream().mapToInt(Crash::lost).sum();
            crashRows.append(String.format("| `%s` | %s | %d | %d | %s |%n", name, c.description(), acked, lost,
                    String.join(", ", crashes.stream().map(x -> x.lost() + "/" + x.acked()).toList())));
            speedRows.append(String.format("| `%s` | %.0f | %.1f | %.1f | %d | %.1f |%n", name, t.perSecond(),
                    t.p50Micros() / 1000.0, t.p99Micros() / 1000.0, t.errors(), t.storeBytes() / 1e6));
        }
        write(out, opt, crashRows, speedRows, rounds, orders, threads, warmup, seconds);
        System.out.println("results in " + out);
    }

    static Candidate candidate(String name, Path dir) throws SQLException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("weft.data-dir", dir.toString());
        switch (name) {
            case "h2-lazy" -> config.put("weft.store.h2.commit", "lazy");
            case "h2-write-delay-0" -> {
                config.put("weft.store.h2.commit", "lazy");
                config.put("quarkus.datasource.h2.jdbc.url", H2_URL.formatted(dir) + ";WRITE_DELAY=0");
            }
            case "h2-write" -> config.put("weft.store.h2.commit", "write");
            case "h2-sync-acks" -> config.put("weft.store.h2.commit", "sync-acks");
            case "h2-sync" -> config.put("weft.store.h2.commit", "sync");
            case "pg" -> {
                config.put("quarkus.profile", "pg");
                config.put("quarkus.datasource.pg.jdbc.url", createPostgresDatabase());
                config.put("quarkus.datasource.pg.username", "postgres");
            }
            default -> throw new IllegalArgumentException("unknown candidate " + name);
        }
        String description = switch (name) {
            case "h2-lazy" -> "H2 as it comes: MVStore writes from its background thread (WRITE_DELAY 500 ms)";
            case "h2-write-delay-0" -> "H2 `WRITE_DELAY=0`: MVStore writes at every commit, no background thread";
            case "h2-write" -> "Weft `weft.store.h2.commit=write`: `CHECKPOINT` after every commit";
            case "h2-sync-acks" -> "Weft `sync-acks`: `CHECKPOINT SYNC` per acknowledging commit only, the rest by H2's background writer";
            case "h2-sync" -> "Weft default `sync`: `CHECKPOINT` after every commit, `CHECKPOINT SYNC` (fsync) per acknowledging commit";
            default -> "PostgreSQL 15, `synchronous_commit=on` (reference)";
        };
        return new Candidate(name, description, config);
    }

    static Crash crashRound(Path jar, Candidate c, int orders, int threads, Path scratch) throws Exception {
        Map<String, String> config = new LinkedHashMap<>(c.config());
        config.put("weft.systems.mes.url", "http://127.0.0.1:" + freePort()); // nobody listens: the MES is down
        Process weft = startWeft(jar, config, scratch, c.name() + "-crash");
        int port = Integer.parseInt(config.get("quarkus.http.port"));
        try {
            awaitReady(weft, Integer.parseInt(config.get("quarkus.management.port")));
            Set<String> acked = ConcurrentHashMap.newKeySet();
            ExecutorService senders = Executors.newFixedThreadPool(threads);
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                sent.add(senders.submit(() -> {
                    String id = post(port);
                    if (id != null) {
                        acked.add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            long t0 = System.nanoTime();
            weft.destroyForcibly(); // SIGKILL, no pause after the last 202
            weft.waitFor(15, TimeUnit.SECONDS);
            senders.shutdownNow();
            long killMillis = (System.nanoTime() - t0) / 1_000_000;
            Set<String> journaled = new HashSet<>();
            int deliveries;
            try (Connection db = open(c); Statement s = db.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT id FROM message")) {
                    while (r.next()) {
                        journaled.add(r.getString(1));
                    }
                }
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM delivery")) {
                    r.next();
                    deliveries = r.getInt(1);
                }
            }
            journaled.retainAll(acked);
            return new Crash(acked.size(), journaled.size(), deliveries, killMillis);
        } finally {
            weft.destroyForcibly();
        }
    }

    static Throughput throughput(Path jar, Candidate c, int threads, int warmup, int seconds, Path scratch) throws Exception {
        HttpServer mes = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        mes.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                exchange.sendResponseHeaders(201, -1);
            }
        });
        mes.setExecutor(Executors.newFixedThreadPool(4));
        mes.start();
        Map<String, String> config = new LinkedHashMap<>(c.config());
        config.put("weft.systems.mes.url", "http://127.0.0.1:" + mes.getAddress().getPort());
        Process weft = startWeft(jar, config, scratch, c.name() + "-throughput");
        int port = Integer.parseInt(config.get("quarkus.http.port"));
        try {
            awaitReady(weft, Integer.parseInt(config.get("quarkus.management.port")));
            long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
            long end = warmEnd + seconds * 1_000_000_000L;
            List<List<Long>> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicLong errors = new AtomicLong();
            ExecutorService senders = Executors.newFixedThreadPool(threads);
            for (int i = 0; i < threads; i++) {
                senders.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        String id = post(port);
                        long t1 = System.nanoTime();
                        if (t0 >= warmEnd) {
                            if (id == null) {
                                errors.incrementAndGet();
                            } else {
                                mine.add((t1 - t0) / 1000);
                            }
                        }
                    }
                    latencies.add(mine);
                    return null;
                });
            }
            senders.shutdown();
            senders.awaitTermination(warmup + seconds + 60L, TimeUnit.SECONDS);
            List<Long> all = new ArrayList<>();
            latencies.forEach(all::addAll);
            Collections.sort(all);
            long bytes = c.name().startsWith("h2") ? size(Path.of(c.config().get("weft.data-dir"))) : 0;
            return new Throughput(all.size() / (double) seconds, percentile(all, 0.5), percentile(all, 0.99),
                    (int) errors.get(), bytes);
        } finally {
            weft.destroy();
            if (!weft.waitFor(30, TimeUnit.SECONDS)) {
                weft.destroyForcibly();
            }
            mes.stop(0);
            ((ExecutorService) mes.getExecutor()).shutdownNow();
        }
    }

    /** Posts one ERP order; its journal id when answered 202, else null. */
    /** The hash of the key {@code bench-erp-key} the senders present (bench/run.sh uses the same). */
    static final String BENCH_ERP_KEY_HASH = "pbkdf2-sha256:10000:6W01WI+cZv5fTWQm09O6Dw:XrK8In3eHzqUPxhxAkPM/Nwmj04E9pK/JJQgWkwTv68";

    static String post(int port) {
        String order = "S" + ORDER.incrementAndGet();
        String body = "{\"AUFNR\": \"" + order + "\", \"WERKS\": \"P1\", \"MATNR\": \"MAT-4711\", \"GAMNG\": 500, "
                + "\"GMEIN\": \"PC\", \"GSTRP\": \"2026-12-01\", \"GLTRP\": \"2026-12-03\", \"STATUS\": \"REL\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/inbound/erp/production-orders"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Api-Key", "bench-erp-key") // startWeft gives Weft this key's hash
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                return null;
            }
            String b = response.body();
            int at = b.indexOf("\"id\"");
            int start = b.indexOf('"', b.indexOf(':', at) + 1) + 1;
            return b.substring(start, b.indexOf('"', start));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static Process startWeft(Path jar, Map<String, String> config, Path scratch, String name) throws IOException {
        config.put("quarkus.http.port", String.valueOf(freePort()));
        config.put("quarkus.management.port", String.valueOf(freePort()));
        config.put("weft.systems.erp.api-keys", BENCH_ERP_KEY_HASH);
        config.put("weft.inbound.rate-limit", "0");
        config.put("weft.instance-id", "bench");
        config.put("weft.systems.wms.inbox", "file:" + config.get("weft.data-dir") + "/wms/inbox");
        config.put("weft.systems.wms.outbox", "file:" + config.get("weft.data-dir") + "/wms/outbox");
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "false");
        config.put("quarkus.log.level", "WARN");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = scratch.resolve(name + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void awaitReady(Process weft, int port) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")) // the management port
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline) && weft.isAlive()) {
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Weft not ready on port " + port);
    }

    static Connection open(Candidate c) throws SQLException {
        String pg = c.config().get("quarkus.datasource.pg.jdbc.url");
        return pg != null ? DriverManager.getConnection(pg, "postgres", "")
                : DriverManager.getConnection(H2_URL.formatted(c.config().get("weft.data-dir")), "", "");
    }

    static String createPostgresDatabase() throws SQLException {
        String name = "weft_storebench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opt;
    }

    static void write(Path out, Map<String, String> opt, CharSequence crashRows, CharSequence speedRows, int rounds,
                      int orders, int threads, int warmup, int seconds) throws IOException {
        String text = """
                # Embedded store: what a kill -9 loses, and what durability costs

                Run %s by `bench/embedded-store.sh` (`bench/EmbeddedStoreBench.java`), Weft commit %s, on %s.

                ## kill -9 right after the last 202 (MES down)

                %d rounds per candidate; each: a fresh store, %d ERP orders posted from %d threads, SIGKILL the
                moment the last is answered 202, then the store opened directly and every answered id looked up.

                | candidate | what it does | answered 202 | lost | lost per round |
                |---|---|---|---|---|
                %s
                ## Throughput (MES up, answering 201)

                %d closed-loop senders, %d s warm-up, then %d s measured; latency is the 202's, as the sender sees it.
                Store size: the H2 file after the run.

                | candidate | accepted orders/s | p50 ms | p99 ms | errors | store MB |
                |---|---|---|---|---|---|
                %s""".formatted(Instant.now(), opt.getOrDefault("commit", "?"), opt.getOrDefault("host", "?"), rounds,
                orders, threads, crashRows, threads, warmup, seconds, speedRows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text);
    }
}
