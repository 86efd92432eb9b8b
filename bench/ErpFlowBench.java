import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weft ERP -> MES + WMS benchmark, JDK only (single-file source program: {@code java bench/ErpFlowBench.java}).
 *
 * <p>One process holds the two HTTP sinks (MES {@code POST /api/work-orders}, WMS {@code POST /orders}) and the
 * open-loop load generator, so every time stamp comes from the same {@code System.nanoTime()} clock. Phases:
 * <ol>
 *   <li>start the sinks, write {@code <work>/sinks.ready};</li>
 *   <li>wait (bounded) for {@code <work>/go}, which run.sh writes once Weft answers {@code /q/health/ready};</li>
 *   <li>warm-up orders (not counted), then the measured load: order {@code i} is sent at {@code start + i/rate}
 *       whatever happened to earlier ones (open loop; in-flight requests are capped, overflow counts as an error);</li>
 *   <li>snapshot the backlog at the end of the load phase, wait (bounded) until every accepted order reached both
 *       sinks, write the results as Markdown.</li>
 * </ol>
 */
public class ErpFlowBench {

    // ---- options ---------------------------------------------------------------------------------------------
    static String weft = "http://127.0.0.1:8080";
    static int mesPort = 18091;
    static int wmsPort = 18092;
    static double rate = 1000;
    static int durationS = 60;
    static int warmupS = 10;
    static int drainTimeoutS = 120;
    static int goTimeoutS = 300;
    static int maxInFlight = 4000;
    static int sinkThreads = 8;
    static int clientThreads = 4;
    static Path work = Path.of("bench/target/work");
    static Path out = Path.of("bench/results/out.md");
    static Path settingsFile;
    static String pgDb;
    static String quiet;
    static long weftPid = -1;

    // ---- state -----------------------------------------------------------------------------------------------
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase(Locale.ROOT);
    static int warmupN;
    static int measuredN;
    static long[] sendNs;      // client send instant (nanoTime) per order (warm-up first, then measured)
    static long[] lagNs;       // how late the generator sent each order against its schedule
    static long[] ackNs;       // 202 received
    static int[] status;       // HTTP status, 0 = no answer yet, -1 = transport error, -2 = not sent (in-flight cap)
    static AtomicLongArray mesAt;
    static AtomicLongArray wmsAt;
    static final AtomicLong sinkDuplicates = new AtomicLong();
    static final AtomicLong sinkUnknown = new AtomicLong();
    static final AtomicLong sinkNoIdempotencyKey = new AtomicLong();
    static final AtomicLong notDuplicateFalse = new AtomicLong();
    static final Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        parse(args);
        // The JDK server leaves Nagle on by default: a response written in two segments then waits for the
        // client's delayed ACK (~40 ms per request), which would make the sinks, not Weft, the bottleneck.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("go"));
        warmupN = (int) Math.round(rate * warmupS);
        measuredN = (int) Math.round(rate * durationS);
        int total = warmupN + measuredN;
        sendNs = new long[total];
        lagNs = new long[total];
        ackNs = new long[total];
        status = new int[total];
        mesAt = new AtomicLongArray(total);
        wmsAt = new AtomicLongArray(total);

        HttpServer mes = sink(mesPort, "/api/work-orders", "workOrderId", mesAt);
        HttpServer wms = sink(wmsPort, "/orders", "orderRef", wmsAt);
        Files.writeString(work.resolve("sinks.ready"), "mes=" + mesPort + " wms=" + wmsPort + "\n");
        log("sinks up: MES :" + mesPort + ", WMS :" + wmsPort + "; waiting for " + work.resolve("go"));
        long goDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(goTimeoutS);
        while (!Files.exists(work.resolve("go"))) {
            if (System.nanoTime() > goDeadline) {
                log("no go signal within " + goTimeoutS + " s; giving up");
                System.exit(2);
            }
            Thread.sleep(100);
        }

        if (weftPid <= 0 && Files.exists(work.resolve("weft.pid"))) {
            weftPid = Long.parseLong(Files.readString(work.resolve("weft.pid")).trim());
        }
        ExecutorService clientPool = Executors.newFixedThreadPool(clientThreads, daemon("client"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(clientPool).build();
        URI target = URI.create(weft + "/inbound/erp/production-orders");

        long cpu0Self = selfCpuNs();
        long cpu0Weft = procCpuNs(weftPid);
        long cpu0Pg = postgresCpuNs();
        long[] machine0 = machineCpuNs();
        if (warmupN > 0) {
            log("warm-up: " + warmupN + " orders at " + rate + "/s (not counted)");
            load(client, target, 0, warmupN);
        }
        log("measured load: " + measuredN + " orders at " + rate + "/s for " + durationS + " s");
        long cpu1Self = selfCpuNs();
        long cpu1Weft = procCpuNs(weftPid);
        long cpu1Pg = postgresCpuNs();
        long[] machine1 = machineCpuNs();
        long loadStart = System.nanoTime();
        long loadEnd = load(client, target, warmupN, total);
        long cpu2Self = selfCpuNs();
        long cpu2Weft = procCpuNs(weftPid);
        long cpu2Pg = postgresCpuNs();
        long[] machine2 = machineCpuNs();
        double loadWallS = (loadEnd - loadStart) / 1e9;

        // backlog at the end of the load phase: wait (bounded) for outstanding 202s first, then count
        long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        while (outstanding(warmupN, total) > 0 && System.nanoTime() < ackDeadline) {
            Thread.sleep(20);
        }
        long loadPhaseEnd = System.nanoTime();
        int acceptedAtEnd = 0;
        int deliveredAtEnd = 0;
        for (int i = warmupN; i < total; i++) {
            if (status[i] == 202) {
                acceptedAtEnd++;
                deliveredAtEnd += (mesAt.get(i) != 0 ? 1 : 0) + (wmsAt.get(i) != 0 ? 1 : 0);
            }
        }
        long sinkBacklog = 2L * acceptedAtEnd - deliveredAtEnd;
        String dbBacklog = pgDb == null ? "n/a" : psql("SELECT status || '=' || count(*) FROM delivery "
                + "WHERE status <> 'DELIVERED' GROUP BY status ORDER BY status");
        log(String.format(Locale.ROOT, "load done in %.1f s; accepted %d; backlog %d deliveries (sinks), db: %s",
                loadWallS, acceptedAtEnd, sinkBacklog, dbBacklog));

        // drain (bounded)
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainTimeoutS);
        int missing;
        while ((missing = missingDeliveries(warmupN, total)) > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(200);
        }
        long drainedAt = System.nanoTime();
        log("drain: " + (missing == 0 ? "complete" : missing + " deliveries still missing after " + drainTimeoutS + " s")
                + " after " + String.format(Locale.ROOT, "%.1f s", (drainedAt - loadPhaseEnd) / 1e9));
        String dbFinal = pgDb == null ? "n/a" : psql("SELECT status || '=' || count(*) FROM delivery "
                + "GROUP BY status ORDER BY status");
        String attemptsFinal = pgDb == null ? "n/a" : psql("SELECT outcome || '=' || count(*) FROM delivery_attempt "
                + "GROUP BY outcome ORDER BY outcome");
        Thread.sleep(300); // let late duplicate receipts (if any) show up in the counters
        mes.stop(0);
        wms.stop(0);
        clientPool.shutdownNow();

        String report = report(loadWallS, sinkBacklog, dbBacklog, missing, dbFinal, attemptsFinal,
                cpu1Self - cpu0Self, cpu2Self - cpu1Self, cpu1Weft - cpu0Weft, cpu2Weft - cpu1Weft,
                cpu1Pg - cpu0Pg, cpu2Pg - cpu1Pg, machine2[0] - machine1[0], loadStart, (drainedAt - loadPhaseEnd) / 1e9);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.exit(0);
    }

    // ---- load generator --------------------------------------------------------------------------------------

    /** Sends orders [from, to) on an open-loop schedule; returns the instant the last one was handed to the client. */
    static long load(HttpClient client, URI target, int from, int to) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        long periodNs = (long) (1e9 / rate);
        long start = System.nanoTime() + 1_000_000;
        long last = start;
        for (int i = from; i < to; i++) {
            long due = start + (i - from) * periodNs;
            long now;
            while ((now = System.nanoTime()) < due) {
                long wait = due - now;
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            lagNs[i] = now - due;
            if (!inFlight.tryAcquire()) {
                status[i] = -2;
                errorKinds.computeIfAbsent("not sent: " + maxInFlight + " requests already in flight",
                        k -> new AtomicLong()).incrementAndGet();
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(order(i))).build();
            final int n = i;
            sendNs[n] = System.nanoTime();
            last = sendNs[n];
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                long t = System.nanoTime();
                if (failure != null) {
                    errorKinds.computeIfAbsent("transport: " + rootName(failure), k -> new AtomicLong()).incrementAndGet();
                    status[n] = -1;
                } else {
                    if (response.statusCode() == 202) {
                        ackNs[n] = t;
                        if (!response.body().replace(" ", "").contains("\"duplicate\":false")) {
                            notDuplicateFalse.incrementAndGet();
                        }
                    } else {
                        String body = response.body();
                        errorKinds.computeIfAbsent("HTTP " + response.statusCode() + ": "
                                + (body.length() > 120 ? body.substring(0, 120) : body), k -> new AtomicLong())
                                .incrementAndGet();
                    }
                    status[n] = response.statusCode();
                }
                inFlight.release();
            });
        }
        return last;
    }

    static String order(int i) {
        // unique order number per order and run (the body digest is the dedupe key)
        return "{\"AUFNR\": \"" + orderNumber(i) + "\", \"WERKS\": \"P1\", \"MATNR\": \"MAT-4711\", \"GAMNG\": "
                + (100 + i % 900) + ", \"GMEIN\": \"PC\", \"GSTRP\": \"2026-12-01\", \"GLTRP\": \"2026-12-03\", "
                + "\"STATUS\": \"REL\"}";
    }

    static String orderNumber(int i) {
        return "B" + RUN + "-" + i;
    }

    static int orderIndex(String orderNumber) {
        String prefix = "B" + RUN + "-";
        if (orderNumber == null || !orderNumber.startsWith(prefix)) {
            return -1;
        }
        try {
            int i = Integer.parseInt(orderNumber.substring(prefix.length()));
            return i >= 0 && i < sendNs.length ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int outstanding(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (status[i] == 0) {
                n++;
            }
        }
        return n;
    }

    static int missingDeliveries(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (status[i] == 202) {
                n += (mesAt.get(i) == 0 ? 1 : 0) + (wmsAt.get(i) == 0 ? 1 : 0);
            }
        }
        return n;
    }

    // ---- sinks -----------------------------------------------------------------------------------------------

    static HttpServer sink(int port, String path, String field, AtomicLongArray receipts) throws IOException {
        Pattern key = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            try {
                long t = System.nanoTime();
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (exchange.getRequestHeaders().getFirst("Idempotency-Key") == null) {
                    sinkNoIdempotencyKey.incrementAndGet();
                }
                Matcher m = key.matcher(body);
                int i = m.find() ? orderIndex(m.group(1)) : -1;
                if (i < 0) {
                    sinkUnknown.incrementAndGet();
                } else if (!receipts.compareAndSet(i, 0, t)) {
                    sinkDuplicates.incrementAndGet();
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, ok.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(ok);
                }
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(sinkThreads, daemon("sink-" + port)));
        server.start();
        return server;
    }

    // ---- report ----------------------------------------------------------------------------------------------

    static String report(double loadWallS, long sinkBacklog, String dbBacklog, int missing, String dbFinal,
                         String attemptsFinal, long cpuSelfWarm, long cpuSelfLoad, long cpuWeftWarm, long cpuWeftLoad,
                         long cpuPgWarm, long cpuPgLoad, long cpuMachineLoad, long loadStart, double drainS) throws IOException {
        int total = sendNs.length;
        int sent = 0, accepted = 0, errors = 0, both = 0;
        long firstSend = Long.MAX_VALUE, lastAck = Long.MIN_VALUE, lastDelivery = Long.MIN_VALUE;
        List<Long> accept = new ArrayList<>();
        List<Long> e2e = new ArrayList<>();
        List<Long> lag = new ArrayList<>();
        int windows = Math.max(1, (durationS + 9) / 10);
        long[] acceptedPerWindow = new long[windows + 30];
        long[] bothPerWindow = new long[windows + 30];
        for (int i = warmupN; i < total; i++) {
            lag.add(lagNs[i]);
            if (status[i] == -2) {
                errors++;
                continue;
            }
            sent++;
            firstSend = Math.min(firstSend, sendNs[i]);
            if (status[i] != 202) {
                errors++;
                continue;
            }
            accepted++;
            lastAck = Math.max(lastAck, ackNs[i]);
            accept.add(ackNs[i] - sendNs[i]);
            acceptedPerWindow[bucket(ackNs[i], loadStart, acceptedPerWindow.length)]++;
            long m = mesAt.get(i), w = wmsAt.get(i);
            if (m != 0 && w != 0) {
                both++;
                long later = Math.max(m, w);
                lastDelivery = Math.max(lastDelivery, later);
                e2e.add(later - sendNs[i]);
                bothPerWindow[bucket(later, loadStart, bothPerWindow.length)]++;
            }
        }
        double acceptWindowS = accepted == 0 ? 0 : (lastAck - firstSend) / 1e9;
        double deliverWindowS = both == 0 ? 0 : (lastDelivery - firstSend) / 1e9;

        StringBuilder r = new StringBuilder();
        r.append("# Weft benchmark: ERP production orders -> MES + WMS on PostgreSQL\n\n");
        r.append("Run ").append(Instant.now()).append(" (run token ").append(RUN).append(")\n\n");
        r.append("## Machine\n\n");
        r.append("| | |\n|---|---|\n");
        r.append("| nproc | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        r.append("| memory | ").append(memTotal()).append(" |\n");
        r.append("| cpu | ").append(cpuModel()).append(" |\n");
        r.append("| java | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        r.append("| os | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(" |\n");
        r.append("\nLoad generator, both sinks, Weft and PostgreSQL all run on this one machine.\n\n");

        r.append("## Settings\n\n");
        r.append("| | |\n|---|---|\n");
        r.append("| target rate | ").append(fmt(rate)).append(" orders/s, open loop, plant P1 (2 deliveries each) |\n");
        r.append("| measured duration | ").append(durationS).append(" s (after ").append(warmupS)
                .append(" s warm-up at the same rate, not counted) |\n");
        r.append("| drain timeout | ").append(drainTimeoutS).append(" s |\n");
        r.append("| generator | java.net.http.HttpClient, HTTP/1.1, ").append(clientThreads)
                .append(" threads, in-flight cap ").append(maxInFlight).append(" |\n");
        r.append("| sinks | com.sun.net.httpserver, ").append(sinkThreads).append(" threads each, answer 200 at once |\n");
        if (settingsFile != null && Files.exists(settingsFile)) {
            for (String line : Files.readAllLines(settingsFile)) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && eq > 0) {
                    r.append("| ").append(line, 0, eq).append(" | `").append(line.substring(eq + 1)).append("` |\n");
                }
            }
        }

        r.append("\n## Results\n\n");
        r.append("| | |\n|---|---|\n");
        r.append("| orders sent | ").append(sent).append(" (of ").append(measuredN).append(" scheduled) |\n");
        r.append("| accepted (202) | ").append(accepted).append(" |\n");
        r.append("| errors | ").append(errors).append(errorKinds.isEmpty() ? "" : " " + errorKinds).append(" |\n");
        r.append("| accepted orders/s | ").append(fmt(acceptWindowS == 0 ? 0 : accepted / acceptWindowS))
                .append(" (first send to last 202: ").append(fmt(acceptWindowS)).append(" s) |\n");
        r.append("| delivered to both MES and WMS | ").append(both).append(" of ").append(accepted)
                .append(" accepted").append(missing > 0 ? " (" + missing + " deliveries missing at drain timeout)" : "")
                .append(" |\n");
        r.append("| orders delivered to both per second | ").append(fmt(deliverWindowS == 0 ? 0 : both / deliverWindowS))
                .append(" (first send to last delivery: ").append(fmt(deliverWindowS)).append(" s) |\n");
        r.append("| accept latency p50 / p99 / max | ").append(pct(accept)).append(" |\n");
        r.append("| end-to-end latency p50 / p99 / max | ").append(pct(e2e))
                .append(" (send to the later of the two sink receipts) |\n");
        r.append("| delivery backlog at end of load phase | ").append(sinkBacklog)
                .append(" deliveries not yet at the sinks; journal: ").append(dbBacklog.isBlank() ? "none" : dbBacklog)
                .append(" |\n");
        r.append("| drain time after load phase | ").append(fmt(drainS)).append(" s |\n");
        r.append("| generator lag behind schedule p50 / p99 / max | ").append(pct(lag)).append(" |\n");
        r.append("| sink duplicates / unknown bodies / without Idempotency-Key | ").append(sinkDuplicates.get())
                .append(" / ").append(sinkUnknown.get()).append(" / ").append(sinkNoIdempotencyKey.get()).append(" |\n");
        r.append("| 202 bodies without duplicate:false | ").append(notDuplicateFalse.get()).append(" |\n");
        r.append("| deliveries in the journal at the end (incl. warm-up) | ").append(dbFinal).append(" |\n");
        r.append("| attempts recorded (incl. warm-up) | ").append(attemptsFinal).append(" |\n");

        double loadS = loadWallS;
        r.append("\n## CPU during the measured load phase (").append(fmt(loadS)).append(" s wall, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores)\n\n");
        r.append("| process | CPU s | cores busy |\n|---|---|---|\n");
        cpuRow(r, "Weft", cpuWeftLoad, loadS);
        cpuRow(r, "PostgreSQL (all backends)", cpuPgLoad, loadS);
        cpuRow(r, "bench (generator + sinks)", cpuSelfLoad, loadS);
        cpuRow(r, "everything else on the machine (other processes, kernel)",
                cpuMachineLoad - Math.max(0, cpuWeftLoad) - Math.max(0, cpuPgLoad) - Math.max(0, cpuSelfLoad), loadS);
        cpuRow(r, "machine total", cpuMachineLoad, loadS);
        if (accepted > 0 && cpuWeftLoad > 0) {
            r.append("\nWeft CPU per accepted order during the measured phase: ")
                    .append(fmt(cpuWeftLoad / 1e6 / accepted)).append(" ms (accepted and delivered in the same phase "
                    + "only when there is no backlog).\n");
        }
        if (quiet != null) {
            r.append("\nMachine before the run: ").append(quiet).append('\n');
        }

        r.append("\n## Per 10 s of the measured phase\n\n");
        r.append("| window | accepted (202) | delivered to both |\n|---|---|---|\n");
        for (int wdx = 0; wdx < acceptedPerWindow.length; wdx++) {
            if (acceptedPerWindow[wdx] == 0 && bothPerWindow[wdx] == 0) {
                continue;
            }
            r.append("| ").append(wdx * 10).append("-").append(wdx * 10 + 10).append(" s | ")
                    .append(acceptedPerWindow[wdx]).append(" | ").append(bothPerWindow[wdx]).append(" |\n");
        }
        return r.toString();
    }

    static int bucket(long t, long start, int n) {
        int b = (int) ((t - start) / 10_000_000_000L);
        return Math.max(0, Math.min(n - 1, b));
    }

    static void cpuRow(StringBuilder r, String name, long ns, double wallS) {
        if (ns < 0) {
            r.append("| ").append(name).append(" | n/a | n/a |\n");
            return;
        }
        r.append("| ").append(name).append(" | ").append(fmt(ns / 1e9)).append(" | ")
                .append(fmt(ns / 1e9 / wallS)).append(" |\n");
    }

    static String pct(List<Long> ns) {
        if (ns.isEmpty()) {
            return "n/a";
        }
        long[] a = ns.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return ms(a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.50) - 1)]) + " / "
                + ms(a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)]) + " / " + ms(a[a.length - 1]);
    }

    static String ms(long ns) {
        return String.format(Locale.ROOT, ns >= 100_000_000 ? "%.0f ms" : "%.1f ms", ns / 1e6);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    // ---- machine, processes ----------------------------------------------------------------------------------

    static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return "unknown";
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return "unknown";
    }

    /** Busy and total CPU time of the whole machine from /proc/stat (all cores), in ns; {busy, total}. */
    static long[] machineCpuNs() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {(total - idle) * 10_000_000L, total * 10_000_000L};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    static long selfCpuNs() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** utime + stime of a process from /proc, in ns (clock ticks assumed 100/s, the Linux default). */
    static long procCpuNs(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long postgresCpuNs() {
        long sum = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("postgres")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                    }
                } catch (IOException | RuntimeException ignored) {
                    // process went away
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    static String psql(String sql) {
        try {
            Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", pgDb, "-Atc", sql)
                    .redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "psql timed out";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().replace('\n', ' ');
        } catch (IOException e) {
            return "psql failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    // ---- misc ------------------------------------------------------------------------------------------------

    static String rootName(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void log(String message) {
        System.err.println("[bench " + Instant.now() + "] " + message);
    }

    static void parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        weft = o.getOrDefault("weft", weft);
        mesPort = Integer.parseInt(o.getOrDefault("mes-port", "" + mesPort));
        wmsPort = Integer.parseInt(o.getOrDefault("wms-port", "" + wmsPort));
        rate = Double.parseDouble(o.getOrDefault("rate", "" + rate));
        durationS = Integer.parseInt(o.getOrDefault("duration", "" + durationS));
        warmupS = Integer.parseInt(o.getOrDefault("warmup", "" + warmupS));
        drainTimeoutS = Integer.parseInt(o.getOrDefault("drain-timeout", "" + drainTimeoutS));
        goTimeoutS = Integer.parseInt(o.getOrDefault("go-timeout", "" + goTimeoutS));
        maxInFlight = Integer.parseInt(o.getOrDefault("max-in-flight", "" + maxInFlight));
        sinkThreads = Integer.parseInt(o.getOrDefault("sink-threads", "" + sinkThreads));
        clientThreads = Integer.parseInt(o.getOrDefault("client-threads", "" + clientThreads));
        work = Path.of(o.getOrDefault("work", work.toString()));
        out = Path.of(o.getOrDefault("out", out.toString()));
        settingsFile = o.containsKey("settings") ? Path.of(o.get("settings")) : null;
        pgDb = o.get("pg-db");
        quiet = o.get("machine-before");
        weftPid = Long.parseLong(o.getOrDefault("weft-pid", "-1"));
        if (rate <= 0 || durationS <= 0 || rate * (durationS + warmupS) > 5_000_000) {
            throw new IllegalArgumentException("rate and duration must be positive and rate*(duration+warmup) <= 5M");
        }
    }
}
