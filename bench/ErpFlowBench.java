import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weft ERP -> MES + WMS benchmark, JDK only (single-file source program: {@code java bench/ErpFlowBench.java}).
 *
 * <p>One process holds the two HTTP sinks (MES {@code POST /api/work-orders}, WMS {@code POST /orders}) and the
 * open-loop load generator, so every time stamp comes from the same {@code System.nanoTime()} clock. Both sides
 * are plain {@code java.nio} (one selector thread for the generator, one for both sinks) so that the bench takes
 * as little of the machine's CPU as it can. Phases:
 * <ol>
 *   <li>start the sinks, write {@code <work>/sinks.ready};</li>
 *   <li>wait (bounded) for {@code <work>/go}, which run.sh writes once Weft answers {@code /q/health/ready};</li>
 *   <li>open the generator's keep-alive connections to Weft;</li>
 *   <li>warm-up orders (not counted), a wait (bounded) until they are all answered and delivered, then the
 *       measured load: order {@code i} is scheduled at
 *       {@code start + i/rate} whatever happened to earlier ones (open loop); once due it waits in a FIFO queue
 *       for the next free connection; queued + in-flight orders are capped, overflow counts as an error;</li>
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
    static int warmupS = 120;
    static int drainTimeoutS = 120;
    static int goTimeoutS = 300;
    static int maxInFlight = 4000;
    static int connections = 64;
    static Path work = Path.of("bench/target/work");
    static Path out = Path.of("bench/results/out.md");
    static Path settingsFile;
    static String pgDb;
    static String quiet;
    static long weftPid = -1;
    // peer mode (bench/peer.sh): any HTTP target, a closed loop, a key=value summary for the combined result file
    static String label = "Weft";
    static boolean closedLoop;
    static boolean expectDuplicateFalse = true;
    static Path summaryFile;
    static long rssKb = -1;      // target's VmRSS at the end of the load phase
    static long hwmKb = -1;      // target's VmHWM (peak resident) at the end of the load phase

    static final String USAGE = """
            java bench/ErpFlowBench.java [--name value]...   (normally started by bench/run.sh)
              --weft URL            Weft's base URL (http://127.0.0.1:8080)
              --mes-port P          MES sink port (18091)
              --wms-port P          WMS sink port (18092)
              --rate N              orders per second, open loop (1000)
              --duration S          measured load in seconds (60)
              --warmup S            warm-up at the same rate, not counted (120)
              --drain-timeout S     how long to wait for the deliveries after the load (120)
              --go-timeout S        how long to wait for <work>/go (300)
              --connections N       keep-alive connections to Weft, one request at a time each (64)
              --max-in-flight N     cap on queued + in-flight orders; an order finding it full is not sent (4000)
              --work DIR            scratch directory: sinks.ready, go, weft.pid (bench/target/work)
              --out FILE            results file (bench/results/out.md)
              --settings FILE       key=value lines copied into the results' settings table
              --pg-db NAME          database for the journal backlog queries (psql); without it: n/a
              --machine-before TXT  what run.sh found before the start, copied into the results
              --weft-pid PID        Weft's process for the CPU figures (default: read <work>/weft.pid)
              --label NAME          name of the process under test in the results (Weft); bench/peer.sh: Node-RED
              --closed-loop B       true: each connection sends its next order as soon as the previous one is
                                    answered, for --duration s (no schedule; --rate only sizes the order arrays:
                                    at most rate*duration orders per phase) (false)
              --expect-duplicate-false B  count 202 bodies without "duplicate":false (true; Weft's answer)
              --summary FILE        also write the headline figures as key=value lines (for bench/peer.sh)
            """;

    // ---- state -----------------------------------------------------------------------------------------------
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase(Locale.ROOT);
    static int warmupN;
    static double warmupSettleS;   // how long the warm-up's backlog took to clear before the measured load
    static int measuredN;
    // Per order (warm-up first, then measured), all System.nanoTime(); written by the generator thread.
    static long[] dueNs;       // scheduled send instant: latencies are measured from here (no coordinated omission)
    static long[] sendNs;      // instant the request was written to a connection, 0 = not (yet) written
    static long[] ackNs;       // 202 received
    static int[] status;       // HTTP status, 0 = no answer yet, -1 = transport error, -2 = not sent (cap full)
    static AtomicLongArray mesAt;
    static AtomicLongArray wmsAt;
    static final AtomicLong sinkDuplicates = new AtomicLong();
    static final AtomicLong sinkUnknown = new AtomicLong();
    static final AtomicLong sinkNoIdempotencyKey = new AtomicLong();
    static final AtomicLong sinkOtherPath = new AtomicLong();
    static final AtomicLong notDuplicateFalse = new AtomicLong();
    static final Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        parse(args);
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("go"));
        warmupN = (int) Math.round(rate * warmupS);
        measuredN = (int) Math.round(rate * durationS);
        int total = warmupN + measuredN;
        dueNs = new long[total];
        sendNs = new long[total];
        ackNs = new long[total];
        status = new int[total];
        mesAt = new AtomicLongArray(total);
        wmsAt = new AtomicLongArray(total);

        Sinks sinks = new Sinks(new Sink("MES", mesPort, "/api/work-orders", "workOrderId", mesAt),
                new Sink("WMS", wmsPort, "/orders", "orderRef", wmsAt));
        sinks.start();
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
        Generator generator = new Generator(URI.create(weft), connections);
        generator.start();
        if (!generator.awaitConnected(TimeUnit.SECONDS.toNanos(10))) {
            log("not all " + connections + " connections to Weft open after 10 s; starting anyway");
        }

        long cpu0Self = selfCpuNs();
        long cpu0Weft = procCpuNs(weftPid);
        long cpu0Pg = postgresCpuNs();
        long[] machine0 = machineCpuNs();
        if (warmupN > 0) {
            log("warm-up: " + (closedLoop ? warmupS + " s closed loop on " + connections + " connections"
                    : warmupN + " orders at " + rate + "/s") + " (not counted)");
            generator.load(0, warmupN);
            // Let the warm-up's backlog clear first: otherwise the measured phase starts with a full queue and
            // Weft still delivering warm-up orders, and the first seconds measure the warm-up, not the load.
            long settleStart = System.nanoTime();
            long settleDeadline = settleStart + TimeUnit.SECONDS.toNanos(drainTimeoutS);
            while ((generator.outstanding(0, warmupN) > 0 || missingDeliveries(generator, 0, warmupN) > 0)
                    && System.nanoTime() < settleDeadline) {
                Thread.sleep(100);
            }
            warmupSettleS = (System.nanoTime() - settleStart) / 1e9;
            log(String.format(Locale.ROOT, "warm-up backlog cleared in %.1f s", warmupSettleS));
        }
        log("measured load: " + (closedLoop ? "closed loop on " + connections + " connections"
                : measuredN + " orders at " + rate + "/s") + " for " + durationS + " s");
        long cpu1Self = selfCpuNs();
        long cpu1Weft = procCpuNs(weftPid);
        long cpu1Pg = postgresCpuNs();
        long[] machine1 = machineCpuNs();
        long loadStart = System.nanoTime();
        long loadEnd = generator.load(warmupN, total);
        long cpu2Self = selfCpuNs();
        long cpu2Weft = procCpuNs(weftPid);
        long cpu2Pg = postgresCpuNs();
        long[] machine2 = machineCpuNs();
        rssKb = procStatusKb(weftPid, "VmRSS:");
        hwmKb = procStatusKb(weftPid, "VmHWM:");
        double loadWallS = (loadEnd - loadStart) / 1e9;

        // backlog at the end of the load phase: wait (bounded) for outstanding 202s first, then count
        long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        while (generator.outstanding(warmupN, total) > 0 && System.nanoTime() < ackDeadline) {
            Thread.sleep(20);
        }
        long loadPhaseEnd = System.nanoTime();
        generator.syncState();
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
        while ((missing = missingDeliveries(generator, warmupN, total)) > 0 && System.nanoTime() < drainDeadline) {
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
        sinks.stop();
        generator.stop(); // after this, the generator's arrays are safe to read without further ado
        if (sinkOtherPath.get() > 0) {
            log("sinks answered 404 to " + sinkOtherPath.get() + " requests for other paths");
        }

        String report = report(loadWallS, sinkBacklog, dbBacklog, missing, dbFinal, attemptsFinal,
                cpu1Self - cpu0Self, cpu2Self - cpu1Self, cpu1Weft - cpu0Weft, cpu2Weft - cpu1Weft,
                cpu1Pg - cpu0Pg, cpu2Pg - cpu1Pg, machine2[0] - machine1[0], loadStart, (drainedAt - loadPhaseEnd) / 1e9,
                generator.reconnects);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.exit(0);
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
            return i >= 0 && i < status.length ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int missingDeliveries(Generator generator, int from, int to) {
        generator.syncState();
        int n = 0;
        for (int i = from; i < to; i++) {
            if (status[i] == 202) {
                n += (mesAt.get(i) == 0 ? 1 : 0) + (wmsAt.get(i) == 0 ? 1 : 0);
            }
        }
        return n;
    }

    static void countError(String kind) {
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    // ---- load generator --------------------------------------------------------------------------------------

    /**
     * Open-loop load over a fixed pool of HTTP/1.1 keep-alive connections, one selector thread. An order whose
     * scheduled time has come joins a FIFO queue and is written on the next idle connection; each connection
     * carries one request at a time (no pipelining). Latencies are taken from the scheduled instant, so time
     * spent waiting for a connection counts against Weft rather than disappearing (no coordinated omission).
     */
    static final class Generator implements Runnable {
        private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
        private static final long RECONNECT_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(100);
        private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(100);

        private final InetSocketAddress address;
        private final String requestHead;
        private final WeftConnection[] pool;
        private final ArrayDeque<WeftConnection> idle = new ArrayDeque<>();
        private final Selector selector;
        private final Thread thread = new Thread(this, "generator");
        private final long periodNs = (long) (1e9 / rate);
        // pending orders: a ring of order indices, at most maxInFlight (queued + in flight <= maxInFlight)
        private final int[] queue = new int[maxInFlight];
        private int queueHead;
        private int queueSize;
        private int inFlight;
        private Phase phase;
        private int nextOrder;
        private long lastHousekeeping;
        private int connectFailures;
        private volatile Phase requestedPhase;
        private volatile boolean running = true;
        private volatile int connectedCount;
        // written after the order arrays change, read by the main thread before it reads them: a volatile write
        // and read pair makes the generator's plain array writes visible to the main thread
        private volatile long progress;
        volatile long reconnects;

        /** A range of orders sent at {@code rate} from {@code startNs}; completes once the last one is due. */
        record Phase(int from, int to, long startNs, CompletableFuture<Long> lastDueAt) {
        }

        static final class WeftConnection {
            final int id;
            SocketChannel channel;
            SelectionKey key;
            boolean connected;
            long reconnectAtNs;
            final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            final HttpReader reader = new HttpReader(true);
            ByteBuffer request;    // the rest of the request still to write, null when written
            int order = -1;        // order in flight on this connection, -1 when none
            long writtenAtNs;

            WeftConnection(int id) {
                this.id = id;
            }
        }

        Generator(URI weft, int connectionCount) throws IOException {
            int port = weft.getPort() > 0 ? weft.getPort() : 80;
            address = new InetSocketAddress(weft.getHost(), port);
            String basePath = weft.getRawPath() == null ? "" : weft.getRawPath().replaceAll("/+$", "");
            requestHead = "POST " + basePath + "/inbound/erp/production-orders HTTP/1.1\r\n"
                    + "Host: " + weft.getHost() + ":" + port + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "X-Api-Key: bench-erp-key\r\n" // run.sh gives Weft this key's hash
                    + "Content-Length: ";
            selector = Selector.open();
            pool = new WeftConnection[connectionCount];
            for (int c = 0; c < connectionCount; c++) {
                pool[c] = new WeftConnection(c);
            }
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        boolean awaitConnected(long timeoutNs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNs;
            while (connectedCount < pool.length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return connectedCount == pool.length;
        }

        /** Sends orders [from, to) on the open-loop schedule; returns the instant the last one was due and queued. */
        long load(int from, int to) throws InterruptedException, ExecutionException {
            Phase p = new Phase(from, to, System.nanoTime() + 1_000_000, new CompletableFuture<>());
            requestedPhase = p;
            selector.wakeup();
            while (true) {
                try {
                    return p.lastDueAt().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (!thread.isAlive()) {
                        throw new IllegalStateException("the generator thread died (see the log above)");
                    }
                }
            }
        }

        /** Makes the generator's latest writes to the order arrays visible to the calling thread. */
        void syncState() {
            long ignored = progress;
        }

        /** Orders of [from, to) without an answer yet (queued or in flight). */
        int outstanding(int from, int to) {
            syncState();
            int n = 0;
            for (int i = from; i < to; i++) {
                if (status[i] == 0) {
                    n++;
                }
            }
            return n;
        }

        void stop() throws InterruptedException {
            running = false;
            selector.wakeup();
            thread.join(5000);
        }

        @Override
        public void run() {
            try {
                long now = System.nanoTime();
                for (WeftConnection c : pool) {
                    connect(c, now);
                }
                while (running) {
                    now = System.nanoTime();
                    if (phase == null && requestedPhase != null) {
                        phase = requestedPhase;
                        requestedPhase = null;
                        nextOrder = phase.from();
                    }
                    admitDueOrders(now);
                    sendQueuedOrders();
                    if (now - lastHousekeeping >= HOUSEKEEPING_NS) {
                        housekeeping(now);
                        lastHousekeeping = now;
                    }
                    progress++;
                    // epoll waits in whole milliseconds: round up, so a send is at most ~1 ms late (and that
                    // lateness is measured: it is part of the queueing delay and of every latency)
                    long waitNs = HOUSEKEEPING_NS;
                    if (phase != null && closedLoop) {
                        waitNs = Math.min(waitNs, phase.startNs() + closedLoopNs(phase) - System.nanoTime());
                    } else if (phase != null) {
                        waitNs = Math.min(waitNs, dueAt(nextOrder) - System.nanoTime());
                    }
                    if (waitNs <= 0) {
                        selector.selectNow();
                    } else {
                        selector.select(Math.max(1, (waitNs + 999_999) / 1_000_000));
                    }
                    long readyAt = System.nanoTime();
                    Set<SelectionKey> ready = selector.selectedKeys();
                    for (SelectionKey key : ready) {
                        handle(key, readyAt);
                    }
                    ready.clear();
                }
            } catch (IOException | RuntimeException e) {
                log("generator failed: " + e);
                e.printStackTrace();
            } finally {
                progress++;
                for (WeftConnection c : pool) {
                    closeQuietly(c.channel);
                }
                closeQuietly(selector);
            }
        }

        private long dueAt(int i) {
            return phase.startNs() + (i - phase.from()) * periodNs;
        }

        /** Every order whose time has come joins the queue, or is not sent when queued + in flight is at the cap. */
        private void admitDueOrders(long now) {
            if (closedLoop) {
                admitClosedLoop(now);
                return;
            }
            while (phase != null && dueAt(nextOrder) <= now) {
                int i = nextOrder++;
                dueNs[i] = dueAt(i);
                if (queueSize + inFlight >= maxInFlight) {
                    status[i] = -2;
                    countError("not sent: " + maxInFlight + " orders already queued or in flight");
                } else {
                    queue[(queueHead + queueSize) % queue.length] = i;
                    queueSize++;
                }
                if (nextOrder == phase.to()) {
                    phase.lastDueAt().complete(now);
                    phase = null;
                }
            }
        }

        /**
         * Closed loop: one order per idle connection, due (and written) now, until the phase's time is up or its
         * orders are used up; the unused rest of the phase is marked -3 and left out of every figure.
         */
        private void admitClosedLoop(long now) {
            if (phase == null) {
                return;
            }
            boolean timeUp = now >= phase.startNs() + closedLoopNs(phase);
            while (!timeUp && nextOrder < phase.to() && queueSize + inFlight < pool.length
                    && queueSize < idle.size()) {
                int i = nextOrder++;
                dueNs[i] = now;
                queue[(queueHead + queueSize) % queue.length] = i;
                queueSize++;
            }
            if (timeUp || nextOrder == phase.to()) {
                for (int i = nextOrder; i < phase.to(); i++) {
                    status[i] = -3;
                }
                phase.lastDueAt().complete(now);
                phase = null;
            }
        }

        private long closedLoopNs(Phase p) {
            return TimeUnit.SECONDS.toNanos(p.from() == 0 && warmupN > 0 && p.to() == warmupN ? warmupS : durationS);
        }

        private void sendQueuedOrders() {
            while (queueSize > 0 && !idle.isEmpty()) {
                int i = queue[queueHead];
                queueHead = (queueHead + 1) % queue.length;
                queueSize--;
                send(idle.poll(), i);
            }
        }

        private void send(WeftConnection c, int i) {
            byte[] body = order(i).getBytes(StandardCharsets.UTF_8);
            byte[] head = (requestHead + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            c.request = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
            c.order = i;
            inFlight++;
            c.writtenAtNs = System.nanoTime();
            sendNs[i] = c.writtenAtNs;
            try {
                writeRequest(c);
            } catch (IOException e) {
                broken(c, "transport: " + describe(e));
            }
        }

        private void writeRequest(WeftConnection c) throws IOException {
            c.channel.write(c.request);
            if (c.request.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else {
                c.request = null;
                c.key.interestOps(SelectionKey.OP_READ);
            }
        }

        private void handle(SelectionKey key, long now) {
            WeftConnection c = (WeftConnection) key.attachment();
            if (c.key != key || !key.isValid()) {
                return; // a key of a connection closed earlier in this round
            }
            try {
                if (key.isConnectable()) {
                    if (c.channel.finishConnect()) {
                        connected(c);
                    }
                    return;
                }
                if (key.isWritable() && c.request != null) {
                    writeRequest(c);
                }
                if (key.isReadable()) {
                    read(c, now);
                }
            } catch (IOException e) {
                if (!c.connected) {
                    connectFailed(c, e, now);
                } else {
                    broken(c, "transport: " + describe(e));
                }
            }
        }

        private void read(WeftConnection c, long now) throws IOException {
            if (c.channel.read(c.in) < 0) {
                if (c.reader.endOfStream()) {
                    responseComplete(c, now); // a response delimited by the end of the connection
                } else {
                    broken(c, "transport: connection closed by Weft with a request in flight");
                }
                return;
            }
            c.in.flip();
            while (c.in.hasRemaining() && c.reader.feed(c.in)) {
                if (!responseComplete(c, now)) {
                    return; // the connection was replaced, with an empty buffer
                }
            }
            c.in.compact();
        }

        /** Books the response just read; returns false when the connection had to be closed. */
        private boolean responseComplete(WeftConnection c, long now) {
            HttpReader r = c.reader;
            int i = c.order;
            if (i < 0) {
                broken(c, null); // an answer to nothing (e.g. a 408 before closing): start afresh
                return false;
            }
            if (r.status == 202) {
                ackNs[i] = now;
                if (expectDuplicateFalse && !r.bodyText().replace(" ", "").contains("\"duplicate\":false")) {
                    notDuplicateFalse.incrementAndGet();
                }
            } else {
                String body = r.bodyText();
                countError("HTTP " + r.status + ": " + (body.length() > 120 ? body.substring(0, 120) : body));
            }
            status[i] = r.status;
            c.order = -1;
            inFlight--;
            boolean close = r.close;
            r.reset();
            if (close) {
                reopen(c, now);
                return false;
            }
            idle.add(c);
            return true;
        }

        /** The connection failed: the order in flight on it (if any) counts as a transport error; reconnect. */
        private void broken(WeftConnection c, String errorKind) {
            if (c.order >= 0) {
                status[c.order] = -1;
                inFlight--;
                c.order = -1;
                if (errorKind != null) {
                    countError(errorKind);
                }
            }
            reopen(c, System.nanoTime());
        }

        private void reopen(WeftConnection c, long now) {
            close(c);
            reconnects++;
            connect(c, now);
        }

        private void close(WeftConnection c) {
            idle.remove(c);
            closeQuietly(c.channel);
            c.channel = null;
            c.key = null;
            if (c.connected) {
                c.connected = false;
                connectedCount--;
            }
            c.request = null;
            c.in.clear();
            c.reader.reset();
        }

        private void connect(WeftConnection c, long now) {
            try {
                c.channel = SocketChannel.open();
                c.channel.configureBlocking(false);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean done = c.channel.connect(address);
                c.key = c.channel.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
                if (done) {
                    connected(c);
                }
            } catch (IOException e) {
                connectFailed(c, e, now);
            }
        }

        private void connected(WeftConnection c) {
            c.connected = true;
            connectedCount++;
            c.key.interestOps(SelectionKey.OP_READ); // also while idle: so that a close by Weft is seen at once
            idle.add(c);
        }

        private void connectFailed(WeftConnection c, IOException e, long now) {
            if (connectFailures++ < 10) { // enough to see what is wrong without flooding the log
                log("connection " + c.id + " to " + address + " failed: " + describe(e) + "; retrying in 100 ms");
            }
            close(c);
            c.reconnectAtNs = now + RECONNECT_BACKOFF_NS;
        }

        /** Reopens connections whose reconnect time has come, and gives up on requests older than 30 s. */
        private void housekeeping(long now) {
            for (WeftConnection c : pool) {
                if (c.channel == null && now >= c.reconnectAtNs) {
                    reconnects++;
                    connect(c, now);
                } else if (c.order >= 0 && now - c.writtenAtNs > REQUEST_TIMEOUT_NS) {
                    broken(c, "transport: no response within 30 s");
                }
            }
        }
    }

    // ---- sinks -----------------------------------------------------------------------------------------------

    /** One destination system: where it listens, which path it serves, which body field holds the order number. */
    record Sink(String name, int port, String path, Pattern orderField, AtomicLongArray receipts) {
        Sink(String name, int port, String path, String field, AtomicLongArray receipts) {
            this(name, port, path, Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\""), receipts);
        }
    }

    /**
     * Both sinks on one selector thread: HTTP/1.1 keep-alive, each request read whole (Content-Length or chunked
     * body) and answered {@code 200} with an empty body at once. Books the first receipt per order, duplicates,
     * bodies without a known order number and requests without {@code Idempotency-Key}; other paths get 404.
     */
    static final class Sinks implements Runnable {
        private static final ByteBuffer OK = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        private static final ByteBuffer OK_CLOSE =
                ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        private static final ByteBuffer NOT_FOUND = ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        private static final ByteBuffer NOT_FOUND_CLOSE =
                ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        private final Selector selector;
        private final List<ServerSocketChannel> servers = new ArrayList<>();
        private final Thread thread = new Thread(this, "sinks");
        private volatile boolean running = true;

        static final class SinkConnection {
            final Sink sink;
            final SocketChannel channel;
            final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            final HttpReader reader = new HttpReader(false);
            final ArrayDeque<ByteBuffer> responses = new ArrayDeque<>(); // not yet (fully) written
            boolean closeWhenWritten;

            SinkConnection(Sink sink, SocketChannel channel) {
                this.sink = sink;
                this.channel = channel;
            }
        }

        Sinks(Sink... sinks) throws IOException {
            selector = Selector.open();
            for (Sink sink : sinks) {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress("127.0.0.1", sink.port()), 1024);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT, sink);
                servers.add(server);
            }
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            selector.wakeup();
            thread.join(5000);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select();
                    long now = System.nanoTime();
                    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                    while (ready.hasNext()) {
                        SelectionKey key = ready.next();
                        ready.remove();
                        if (key.channel() instanceof ServerSocketChannel server) {
                            accept(server, (Sink) key.attachment());
                        } else {
                            serve(key, (SinkConnection) key.attachment(), now);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                log("sinks failed: " + e);
                e.printStackTrace();
            } finally {
                for (SelectionKey key : selector.keys()) {
                    closeQuietly(key.channel());
                }
                closeQuietly(selector);
            }
        }

        private void accept(ServerSocketChannel server, Sink sink) throws IOException {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                channel.configureBlocking(false);
                // without it a response written while the client's ACK is delayed waits for that ACK (~40 ms)
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ, new SinkConnection(sink, channel));
            }
        }

        private void serve(SelectionKey key, SinkConnection c, long now) {
            try {
                if (key.isValid() && key.isReadable()) {
                    if (c.channel.read(c.in) < 0) {
                        c.channel.close(); // the client is done with this connection
                        return;
                    }
                    c.in.flip();
                    while (c.in.hasRemaining() && !c.closeWhenWritten && c.reader.feed(c.in)) {
                        book(c, now);
                        c.reader.reset();
                    }
                    c.in.compact();
                }
                if (key.isValid()) {
                    writeResponses(key, c);
                }
            } catch (IOException e) {
                closeQuietly(c.channel); // a broken connection: the client reconnects and resends
            }
        }

        /** Books one whole request and queues its answer. */
        private void book(SinkConnection c, long receivedAt) {
            HttpReader r = c.reader;
            Sink sink = c.sink;
            c.closeWhenWritten = r.close;
            if (!sink.path().equals(r.path())) {
                sinkOtherPath.incrementAndGet();
                c.responses.add((r.close ? NOT_FOUND_CLOSE : NOT_FOUND).duplicate());
                return;
            }
            if (!r.idempotencyKey) {
                sinkNoIdempotencyKey.incrementAndGet();
            }
            Matcher m = sink.orderField().matcher(r.bodyText());
            int i = m.find() ? orderIndex(m.group(1)) : -1;
            if (i < 0) {
                sinkUnknown.incrementAndGet();
            } else if (!sink.receipts().compareAndSet(i, 0, receivedAt)) {
                sinkDuplicates.incrementAndGet();
            }
            c.responses.add((r.close ? OK_CLOSE : OK).duplicate());
        }

        private void writeResponses(SelectionKey key, SinkConnection c) throws IOException {
            while (!c.responses.isEmpty()) {
                ByteBuffer response = c.responses.peek();
                c.channel.write(response);
                if (response.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                c.responses.poll();
            }
            if (c.closeWhenWritten) {
                c.channel.close();
            } else {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private static ByteBuffer ascii(String s) {
            return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        }
    }

    // ---- HTTP/1.1 message reader ------------------------------------------------------------------------------

    /**
     * Reads one HTTP/1.1 message at a time from bytes as they arrive: start line, headers, then the body framed
     * by {@code Content-Length}, by {@code Transfer-Encoding: chunked} or (responses only) by the end of the
     * connection. Keeps only what the bench needs from the headers.
     */
    static final class HttpReader {
        private enum State { START_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

        private static final int MAX_LINE = 16 * 1024;
        private static final int MAX_BODY = 4 * 1024 * 1024;

        private final boolean response;
        private State state = State.START_LINE;
        private byte[] line = new byte[256];
        private int lineLength;
        private byte[] body = new byte[1024];
        private int bodyLength;
        private long bodyLeft;      // bytes of the body (or of the current chunk) still to read
        private long contentLength;
        private boolean chunked;

        // what the bench uses of a complete message
        String startLine;
        int status;                 // responses
        boolean close;              // the sender closes the connection after this message
        boolean idempotencyKey;     // requests: an Idempotency-Key header was present

        HttpReader(boolean response) {
            this.response = response;
            reset();
        }

        void reset() {
            state = State.START_LINE;
            lineLength = 0;
            bodyLength = 0;
            bodyLeft = 0;
            contentLength = -1;
            chunked = false;
            startLine = null;
            status = 0;
            close = false;
            idempotencyKey = false;
        }

        /** Consumes bytes from {@code buf}; true once a whole message is read (the rest of buf is left alone). */
        boolean feed(ByteBuffer buf) throws IOException {
            try {
                while (state != State.DONE && buf.hasRemaining()) {
                    switch (state) {
                        case BODY, CHUNK_DATA, UNTIL_CLOSE -> readBody(buf);
                        default -> {
                            String text = readLine(buf);
                            if (text != null) {
                                onLine(text);
                            }
                        }
                    }
                }
            } catch (NumberFormatException e) { // a malformed length or status: a broken peer, not a broken bench
                throw new IOException("bad number in HTTP message: " + e.getMessage());
            }
            return state == State.DONE;
        }

        /** The peer closed the connection: true if that completes a message delimited by it. */
        boolean endOfStream() {
            if (state == State.UNTIL_CLOSE) {
                state = State.DONE;
                close = true;
                return true;
            }
            return false;
        }

        String bodyText() {
            return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
        }

        /** Requests: the path of the request target, without a query. */
        String path() {
            int from = startLine.indexOf(' ') + 1;
            int to = startLine.indexOf(' ', from);
            String target = to < 0 ? startLine.substring(from) : startLine.substring(from, to);
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        private void onLine(String text) throws IOException {
            switch (state) {
                case START_LINE -> {
                    if (text.isEmpty()) {
                        return; // a stray CRLF between messages may be ignored (RFC 9112, 2.2)
                    }
                    startLine = text;
                    if (response) {
                        if (!text.startsWith("HTTP/1.") || text.length() < 12) {
                            throw new IOException("bad status line: " + text);
                        }
                        status = Integer.parseInt(text.substring(9, 12));
                    }
                    // HTTP/1.0 closes after each message unless it says keep-alive (not expected here)
                    close = text.contains("HTTP/1.0");
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    if (text.isEmpty()) {
                        headersDone();
                    } else {
                        header(text);
                    }
                }
                case CHUNK_SIZE -> {
                    int extension = text.indexOf(';');
                    long size = Long.parseLong((extension < 0 ? text : text.substring(0, extension)).trim(), 16);
                    if (size == 0) {
                        state = State.TRAILERS;
                    } else {
                        bodyLeft = size;
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_END -> {
                    if (!text.isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    if (text.isEmpty()) {
                        state = State.DONE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }

        private void header(String text) throws IOException {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + text);
            }
            String name = text.substring(0, colon).trim();
            String value = text.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
                if (contentLength < 0) {
                    throw new IOException("negative Content-Length");
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    close = true;
                } else if (v.contains("keep-alive")) {
                    close = false;
                }
            } else if (name.equalsIgnoreCase("Idempotency-Key")) {
                idempotencyKey = true;
            }
        }

        private void headersDone() {
            if (response && (status / 100 == 1)) {
                reset(); // an interim response (100 Continue): the real one follows
            } else if (response && (status == 204 || status == 304)) {
                state = State.DONE;
            } else if (chunked) {
                state = State.CHUNK_SIZE; // chunked wins over a Content-Length (RFC 9112, 6.3)
            } else if (contentLength > 0) {
                bodyLeft = contentLength;
                state = State.BODY;
            } else if (contentLength == 0 || !response) {
                state = State.DONE; // a request without either has no body
            } else {
                state = State.UNTIL_CLOSE;
            }
        }

        private void readBody(ByteBuffer buf) throws IOException {
            int n = state == State.UNTIL_CLOSE ? buf.remaining() : (int) Math.min(buf.remaining(), bodyLeft);
            if (bodyLength + n > MAX_BODY) {
                throw new IOException("body larger than " + MAX_BODY + " bytes");
            }
            if (bodyLength + n > body.length) {
                body = Arrays.copyOf(body, Math.max(bodyLength + n, 2 * body.length));
            }
            buf.get(body, bodyLength, n);
            bodyLength += n;
            if (state == State.UNTIL_CLOSE) {
                return;
            }
            bodyLeft -= n;
            if (bodyLeft == 0) {
                state = state == State.CHUNK_DATA ? State.CHUNK_END : State.DONE;
            }
        }

        /** The next line without its CRLF (or bare LF), or null if it is not complete yet. */
        private String readLine(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                    lineLength = 0;
                    return new String(line, 0, end, StandardCharsets.ISO_8859_1);
                }
                if (lineLength == line.length) {
                    if (line.length >= MAX_LINE) {
                        throw new IOException("header line longer than " + MAX_LINE + " bytes");
                    }
                    line = Arrays.copyOf(line, 2 * line.length);
                }
                line[lineLength++] = b;
            }
            return null;
        }
    }

    // ---- report ----------------------------------------------------------------------------------------------

    static String report(double loadWallS, long sinkBacklog, String dbBacklog, int missing, String dbFinal,
                         String attemptsFinal, long cpuSelfWarm, long cpuSelfLoad, long cpuWeftWarm, long cpuWeftLoad,
                         long cpuPgWarm, long cpuPgLoad, long cpuMachineLoad, long loadStart, double drainS,
                         long reconnects) throws IOException {
        int total = sendNs.length;
        int sent = 0, accepted = 0, errors = 0, both = 0;
        long firstSend = Long.MAX_VALUE, lastAck = Long.MIN_VALUE, lastDelivery = Long.MIN_VALUE;
        List<Long> accept = new ArrayList<>();
        List<Long> e2e = new ArrayList<>();
        List<Long> queueing = new ArrayList<>();
        int windows = Math.max(1, (durationS + 9) / 10);
        long[] acceptedPerWindow = new long[windows + 30];
        long[] bothPerWindow = new long[windows + 30];
        int unused = 0;
        for (int i = warmupN; i < total; i++) {
            if (status[i] == -3) {
                unused++; // closed loop: an order slot the phase did not need
                continue;
            }
            if (sendNs[i] == 0) {
                errors++; // not sent: the cap was full (counted by kind already), or still queued at the end
                if (status[i] == 0) {
                    countError("not sent: still queued at the end of the run");
                }
                continue;
            }
            sent++;
            firstSend = Math.min(firstSend, sendNs[i]);
            queueing.add(sendNs[i] - dueNs[i]);
            if (status[i] != 202) {
                errors++;
                if (status[i] == 0) {
                    countError("no answer by the end of the run");
                }
                continue;
            }
            accepted++;
            lastAck = Math.max(lastAck, ackNs[i]);
            accept.add(ackNs[i] - dueNs[i]);
            acceptedPerWindow[bucket(ackNs[i], loadStart, acceptedPerWindow.length)]++;
            long m = mesAt.get(i), w = wmsAt.get(i);
            if (m != 0 && w != 0) {
                both++;
                long later = Math.max(m, w);
                lastDelivery = Math.max(lastDelivery, later);
                e2e.add(later - dueNs[i]);
                bothPerWindow[bucket(later, loadStart, bothPerWindow.length)]++;
            }
        }
        double acceptWindowS = accepted == 0 ? 0 : (lastAck - firstSend) / 1e9;
        double deliverWindowS = both == 0 ? 0 : (lastDelivery - firstSend) / 1e9;

        StringBuilder r = new StringBuilder();
        r.append("# ").append(label).append(" benchmark: ERP production orders -> MES + WMS")
                .append(pgDb != null ? " on PostgreSQL" : "").append("\n\n");
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
        r.append("\nLoad generator, both sinks, ").append(label).append(pgDb != null ? " and PostgreSQL" : "")
                .append(" all run on this one machine.\n\n");

        r.append("## Settings\n\n");
        r.append("| | |\n|---|---|\n");
        if (closedLoop) {
            r.append("| load | closed loop: ").append(connections).append(" connections, each sends its next order as soon as"
                    + " the previous one is answered (latencies: written -> 202), plant P1 (2 deliveries each) |\n");
        } else {
            r.append("| target rate | ").append(fmt(rate)).append(" orders/s, open loop, plant P1 (2 deliveries each) |\n");
        }
        r.append("| process under test | ").append(label).append(" at ").append(weft).append(" (pid ").append(weftPid)
                .append(") |\n");
        r.append("| measured duration | ").append(durationS).append(" s (after ").append(warmupS)
                .append(" s warm-up with the same load, not counted, whose backlog took ")
                .append(String.format(Locale.ROOT, "%.1f", warmupSettleS)).append(" s to clear) |\n");
        r.append("| drain timeout | ").append(drainTimeoutS).append(" s |\n");
        r.append("| generator | java.nio, one thread, ").append(connections)
                .append(" HTTP/1.1 keep-alive connections to ").append(label)
                .append(", one request at a time each (no pipelining); due orders"
                        + " wait in a FIFO queue for a free connection; cap on queued + in flight ").append(maxInFlight)
                .append("; reconnect attempts during the run: ").append(reconnects).append(" |\n");
        r.append("| sinks | java.nio, one thread for both, HTTP/1.1 keep-alive, TCP_NODELAY, answer 200 with an empty body"
                + " at once |\n");
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
        r.append("| orders sent | ").append(sent).append(closedLoop ? " (closed loop)" : " (of " + measuredN + " scheduled)")
                .append(" |\n");
        r.append("| accepted (202) | ").append(accepted).append(" |\n");
        r.append("| errors | ").append(errors).append(errorKinds.isEmpty() ? "" : " " + errorKinds).append(" |\n");
        r.append("| accepted orders/s | ").append(fmt(acceptWindowS == 0 ? 0 : accepted / acceptWindowS))
                .append(" (first send to last 202: ").append(fmt(acceptWindowS)).append(" s) |\n");
        r.append("| delivered to both MES and WMS | ").append(both).append(" of ").append(accepted)
                .append(" accepted").append(missing > 0 ? " (" + missing + " deliveries missing at drain timeout)" : "")
                .append(" |\n");
        r.append("| orders delivered to both per second | ").append(fmt(deliverWindowS == 0 ? 0 : both / deliverWindowS))
                .append(" (first send to last delivery: ").append(fmt(deliverWindowS)).append(" s) |\n");
        r.append("| accept latency p50 / p99 / max | ").append(pct(accept)).append(" (scheduled send to 202) |\n");
        r.append("| end-to-end latency p50 / p99 / max | ").append(pct(e2e))
                .append(" (scheduled send to the later of the two sink receipts) |\n");
        r.append("| delivery backlog at end of load phase | ").append(sinkBacklog)
                .append(" deliveries not yet at the sinks; journal: ").append(dbBacklog.isBlank() ? "none" : dbBacklog)
                .append(" |\n");
        r.append("| drain time after load phase | ").append(fmt(drainS)).append(" s |\n");
        r.append("| generator queueing delay (scheduled -> written to a connection) p50 / p99 / max | ")
                .append(pct(queueing)).append(" |\n");
        r.append("| sink duplicates / unknown bodies / without Idempotency-Key | ").append(sinkDuplicates.get())
                .append(" / ").append(sinkUnknown.get()).append(" / ").append(sinkNoIdempotencyKey.get()).append(" |\n");
        r.append("| 202 bodies without duplicate:false | ").append(notDuplicateFalse.get()).append(" |\n");
        if (sinkOtherPath.get() > 0) {
            r.append("| sink requests for other paths (answered 404) | ").append(sinkOtherPath.get()).append(" |\n");
        }
        r.append("| deliveries in the journal at the end (incl. warm-up) | ").append(dbFinal).append(" |\n");
        r.append("| attempts recorded (incl. warm-up) | ").append(attemptsFinal).append(" |\n");

        double loadS = loadWallS;
        r.append("\n## CPU during the measured load phase (").append(fmt(loadS)).append(" s wall, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores)\n\n");
        r.append("| process | CPU s | cores busy |\n|---|---|---|\n");
        cpuRow(r, label, cpuWeftLoad, loadS);
        cpuRow(r, "PostgreSQL (all backends)", cpuPgLoad, loadS);
        cpuRow(r, "bench (generator + sinks)", cpuSelfLoad, loadS);
        cpuRow(r, "everything else on the machine (other processes, kernel)",
                cpuMachineLoad - Math.max(0, cpuWeftLoad) - Math.max(0, cpuPgLoad) - Math.max(0, cpuSelfLoad), loadS);
        cpuRow(r, "machine total", cpuMachineLoad, loadS);
        r.append("\n").append(label).append(" resident memory at the end of the load phase: VmRSS ")
                .append(rssKb < 0 ? "n/a" : fmt(rssKb / 1024.0) + " MiB").append(", peak (VmHWM) ")
                .append(hwmKb < 0 ? "n/a" : fmt(hwmKb / 1024.0) + " MiB").append(".\n");
        if (accepted > 0 && cpuWeftLoad > 0) {
            r.append("\n").append(label).append(" CPU per accepted order during the measured phase: ")
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
        if (summaryFile != null) {
            double[] a = percentiles(accept);
            StringBuilder k = new StringBuilder();
            k.append("label=").append(label).append('\n');
            k.append("target=").append(weft).append('\n');
            k.append("mode=").append(closedLoop ? "closed loop, " + connections + " connections"
                    : "open loop, " + fmt(rate) + " orders/s, " + connections + " connections").append('\n');
            k.append("sent=").append(sent).append('\n');
            k.append("accepted=").append(accepted).append('\n');
            k.append("errors=").append(errors).append(errorKinds.isEmpty() ? "" : " " + errorKinds).append('\n');
            k.append("delivered_both=").append(both).append('\n');
            k.append("missing_deliveries=").append(missing).append('\n');
            k.append("sink_duplicates=").append(sinkDuplicates.get()).append('\n');
            k.append("accepted_per_s=").append(num(acceptWindowS == 0 ? 0 : accepted / acceptWindowS)).append('\n');
            k.append("delivered_per_s=").append(num(deliverWindowS == 0 ? 0 : both / deliverWindowS)).append('\n');
            k.append("accept_p50_ms=").append(num(a[0])).append('\n');
            k.append("accept_p99_ms=").append(num(a[1])).append('\n');
            k.append("load_wall_s=").append(num(loadS)).append('\n');
            k.append("cpu_s=").append(num(cpuWeftLoad / 1e9)).append('\n');
            k.append("cpu_ms_per_order=").append(num(accepted > 0 && cpuWeftLoad > 0 ? cpuWeftLoad / 1e6 / accepted : -1))
                    .append('\n');
            k.append("pg_cpu_s=").append(num(cpuPgLoad / 1e9)).append('\n');
            k.append("bench_cpu_s=").append(num(cpuSelfLoad / 1e9)).append('\n');
            k.append("machine_cpu_s=").append(num(cpuMachineLoad / 1e9)).append('\n');
            k.append("rss_mib=").append(num(rssKb < 0 ? -1 : rssKb / 1024.0)).append('\n');
            k.append("hwm_mib=").append(num(hwmKb < 0 ? -1 : hwmKb / 1024.0)).append('\n');
            Files.writeString(summaryFile, k.toString());
        }
        return r.toString();
    }

    /** p50 and p99 in ms, -1 when there are none. */
    static double[] percentiles(List<Long> ns) {
        if (ns.isEmpty()) {
            return new double[] {-1, -1};
        }
        long[] a = ns.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new double[] {a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.50) - 1)] / 1e6,
                a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)] / 1e6};
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A kB field of /proc/<pid>/status (VmRSS:, VmHWM:), -1 when unknown. */
    static long procStatusKb(long pid, String field) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return -1;
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

    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static void log(String message) {
        System.err.println("[bench " + Instant.now() + "] " + message);
    }

    static final Set<String> OPTIONS = Set.of("weft", "mes-port", "wms-port", "rate", "duration", "warmup",
            "drain-timeout", "go-timeout", "connections", "max-in-flight", "work", "out", "settings", "pg-db",
            "machine-before", "weft-pid", "label", "closed-loop", "expect-duplicate-false", "summary");

    static void parse(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(USAGE);
            System.exit(0);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i] + "\n" + USAGE);
            }
            String name = args[i].substring(2);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
            }
            o.put(name, args[++i]);
        }
        weft = o.getOrDefault("weft", weft);
        mesPort = Integer.parseInt(o.getOrDefault("mes-port", "" + mesPort));
        wmsPort = Integer.parseInt(o.getOrDefault("wms-port", "" + wmsPort));
        rate = Double.parseDouble(o.getOrDefault("rate", "" + rate));
        durationS = Integer.parseInt(o.getOrDefault("duration", "" + durationS));
        warmupS = Integer.parseInt(o.getOrDefault("warmup", "" + warmupS));
        drainTimeoutS = Integer.parseInt(o.getOrDefault("drain-timeout", "" + drainTimeoutS));
        goTimeoutS = Integer.parseInt(o.getOrDefault("go-timeout", "" + goTimeoutS));
        connections = Integer.parseInt(o.getOrDefault("connections", "" + connections));
        maxInFlight = Integer.parseInt(o.getOrDefault("max-in-flight", "" + maxInFlight));
        work = Path.of(o.getOrDefault("work", work.toString()));
        out = Path.of(o.getOrDefault("out", out.toString()));
        settingsFile = o.containsKey("settings") ? Path.of(o.get("settings")) : null;
        pgDb = o.get("pg-db");
        quiet = o.get("machine-before");
        weftPid = Long.parseLong(o.getOrDefault("weft-pid", "-1"));
        label = o.getOrDefault("label", label);
        closedLoop = Boolean.parseBoolean(o.getOrDefault("closed-loop", "false"));
        expectDuplicateFalse = Boolean.parseBoolean(o.getOrDefault("expect-duplicate-false", "true"));
        summaryFile = o.containsKey("summary") ? Path.of(o.get("summary")) : null;
        if (rate <= 0 || durationS <= 0 || rate * (durationS + warmupS) > 5_000_000) {
            throw new IllegalArgumentException("rate and duration must be positive and rate*(duration+warmup) <= 5M");
        }
        if (connections < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("--connections and --max-in-flight must be at least 1");
        }
    }
}
