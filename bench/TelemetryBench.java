import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MQTT telemetry benchmark for Weft's IoT spoke (started by bench/telemetry.sh; single-file program run with Paho's
 * MQTT 5 client and the PostgreSQL driver on the class path).
 *
 * <p>Publishes readings at QoS 1 on {@code --connections} connections, each paced by its own thread to its share of
 * {@code --rate} (open loop: reading {@code k} of a connection is due at {@code k / (rate / connections)} s, whatever
 * happened to earlier ones; at most {@code --inflight} unacknowledged per connection). Reading {@code seq} is, by a
 * low-discrepancy sequence, an alarm (past the limit, on a machine of its own: {@code a<seq>}, so no alarm is
 * suppressed), a bad reading (no value: a rejection) or an in-limit reading on one of {@code --machines} machines.
 * Readings the broker acknowledged are the ones Weft owes. Once a second it samples: readings acknowledged by the
 * broker, Weft's counter {@code weft_iot_readings_total} (management port), alarms journaled (PostgreSQL), CPU of
 * Weft / Mosquitto / PostgreSQL / itself (/proc), Weft's RSS, the broker's stored messages ($SYS), into a TSV.
 * After the load it waits (bounded) until the broker holds nothing for Weft and every expected alarm is journaled,
 * then checks the accounting and writes the Markdown result.
 */
public class TelemetryBench {
    static String broker = "tcp://127.0.0.1:1883";
    static String metricsUrl = "http://127.0.0.1:9000/q/metrics";
    static String pgUrl = "jdbc:postgresql://127.0.0.1:5432/weft_telemetry?user=postgres";
    static double rate = 20_000;
    static int durationS = 60;
    static int warmupS = 30;
    static int drainTimeoutS = 180;
    static int connections = 4;
    static int inflight = 1000;
    static double alarmShare = 1;
    static double badShare = 0;
    static int machines = 1000;
    static String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    static Path work = Path.of("bench/target/telemetry");
    static Path out;
    static Path tsv;
    static String mode = "throughput";
    static String notes = "";

    static final AtomicLong acked = new AtomicLong();
    static final AtomicLong handedToClient = new AtomicLong();
    static final AtomicLong publishRetries = new AtomicLong();
    static final AtomicLong disconnects = new AtomicLong();
    static final BitSet ackedSeqs = new BitSet();
    static volatile boolean publishing = true;
    static volatile long storedAtBroker = -1;
    static volatile long droppedAtBroker = -1;
    static volatile long storedBeforeLoad = -1;
    static long leftInWeftSession = -1;
    static String weftClientId = "weft-telemetry-bench";

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--broker" -> broker = v;
                case "--metrics" -> metricsUrl = v;
                case "--pg" -> pgUrl = v;
                case "--rate" -> rate = Double.parseDouble(v);
                case "--duration" -> durationS = Integer.parseInt(v);
                case "--warmup" -> warmupS = Integer.parseInt(v);
                case "--drain-timeout" -> drainTimeoutS = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--inflight" -> inflight = Integer.parseInt(v);
                case "--alarm-share" -> alarmShare = Double.parseDouble(v);
                case "--bad-share" -> badShare = Double.parseDouble(v);
                case "--machines" -> machines = Integer.parseInt(v);
                case "--run" -> run = v;
                case "--work" -> work = Path.of(v);
                case "--out" -> out = Path.of(v);
                case "--tsv" -> tsv = Path.of(v);
                case "--mode" -> mode = v;
                case "--notes" -> notes = v;
                case "--weft-client-id" -> weftClientId = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Sampler sampler = new Sampler();
        MqttAsyncClient sys = watchBroker();
        List<Publisher> publishers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            publishers.add(new Publisher(c));
        }
        Files.writeString(work.resolve("generator.ready"), "");
        log("connected %d publishers; waiting for %s", connections, work.resolve("go"));
        while (!Files.exists(work.resolve("go"))) {
            Thread.sleep(50);
        }
        storedBeforeLoad = storedAtBroker; // $SYS's own retained messages
        long start = System.nanoTime();
        Files.writeString(work.resolve("load.started"), Instant.now().toString());
        sampler.start(start);
        publishers.forEach(p -> p.start(start));
        long loadEnd = start + TimeUnit.SECONDS.toNanos(warmupS + durationS);
        sleepUntil(start + TimeUnit.SECONDS.toNanos(warmupS));
        Sampler.Snapshot measuredFrom = sampler.snapshot();
        log("warm-up over; measuring %d s", durationS);
        sleepUntil(loadEnd);
        Sampler.Snapshot measuredTo = sampler.snapshot();
        publishing = false;
        for (Publisher p : publishers) {
            p.thread.join(10_000);
        }
        log("load over: %d readings handed to the client, %d acknowledged by the broker so far", handedToClient.get(), acked.get());

        // Drain: readings still in the client (unacknowledged) are sent again by Paho after a reconnect; then the
        // broker must come to hold nothing (Weft acknowledged everything) and every expected alarm be journaled.
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainTimeoutS);
        Expected expected;
        long drainedAt = -1;
        long lastProcessed = -1;
        long steadySince = System.nanoTime();
        while (true) {
            expected = expected();
            boolean clientsDone = acked.get() == handedToClient.get();
            long journaled = sampler.lastAlarmsJournaled;
            long processed = sampler.lastProcessedCumulative;
            if (processed != lastProcessed) {
                lastProcessed = processed;
                steadySince = System.nanoTime();
            }
            // Without a restart Weft's counter tells when it is done; after one (its counters start again from 0)
            // the counter standing still for 5 s does. What it left undone shows in its session afterwards.
            boolean weftDone = processed >= acked.get()
                    || (sampler.weftRestarts > 0 && System.nanoTime() - steadySince > 5_000_000_000L);
            if (clientsDone && journaled >= expected.alarms().size() && weftDone) {
                drainedAt = System.nanoTime();
                break;
            }
            if (System.nanoTime() > drainDeadline) {
                log("drain timeout: acked %d of %d handed, Weft processed %d, journaled %d of %d alarms", acked.get(),
                        handedToClient.get(), processed, journaled, expected.alarms().size());
                break;
            }
            Thread.sleep(500);
        }
        Thread.sleep(2_000); // one more sample: a late duplicate would show
        sampler.stop();
        leftInWeftSession = leftInSession();
        for (Publisher p : publishers) {
            p.close();
        }
        sys.disconnect().waitForCompletion(2000);
        sys.close();
        Report.write(sampler, measuredFrom, measuredTo, expected(), start, drainedAt, loadEnd);
        System.exit(0);
    }

    static void log(String format, Object... args) {
        System.err.printf("[TelemetryBench %s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(500, Math.max(1, left / 1_000_000)));
        }
    }

    // ---- the mix ---------------------------------------------------------------------------------------------

    enum Kind { IN_LIMIT, ALARM, BAD }

    /** Evenly spread (golden-ratio sequence), so every second has its share of alarms and bad readings. */
    static Kind kind(long seq) {
        double u = (seq * 0.6180339887498949) % 1.0;
        if (u < alarmShare / 100) {
            return Kind.ALARM;
        }
        return u < (alarmShare + badShare) / 100 ? Kind.BAD : Kind.IN_LIMIT;
    }

    static String line() {
        return "L" + run;
    }

    static String topic(long seq) {
        return switch (kind(seq)) {
            case ALARM -> "plant/" + line() + "/a" + seq + "/telemetry";
            case BAD -> "plant/" + line() + "/bad/telemetry";
            case IN_LIMIT -> "plant/" + line() + "/m" + (seq % machines) + "/telemetry";
        };
    }

    static byte[] payload(long seq) {
        String json = switch (kind(seq)) {
            case ALARM -> "{\"seq\":" + seq + ",\"metric\":\"temperature\",\"value\":95.5,\"unit\":\"CEL\",\"ts\":\"2026-12-01T08:00:00Z\"}";
            case BAD -> "{\"seq\":" + seq + ",\"metric\":\"temperature\",\"unit\":\"CEL\"}";
            case IN_LIMIT -> "{\"seq\":" + seq + ",\"metric\":\"temperature\",\"value\":" + (60 + seq % 25)
                    + ".5,\"unit\":\"CEL\",\"ts\":\"2026-12-01T08:00:00Z\"}";
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static long seqOf(byte[] payload) {
        long seq = 0;
        for (int i = 7; i < payload.length && payload[i] >= '0' && payload[i] <= '9'; i++) {
            seq = seq * 10 + (payload[i] - '0');
        }
        return seq;
    }

    record Expected(Set<String> alarms, long bad, long inLimit) {
    }

    /** What Weft owes for the readings the broker acknowledged. */
    static Expected expected() {
        Set<String> alarms = new HashSet<>();
        long bad = 0;
        long inLimit = 0;
        synchronized (ackedSeqs) {
            for (long s = ackedSeqs.nextSetBit(0); s >= 0; s = ackedSeqs.nextSetBit((int) s + 1)) {
                switch (kind(s)) {
                    case ALARM -> alarms.add(line() + ".a" + s + ".temperature.1");
                    case BAD -> bad++;
                    case IN_LIMIT -> inLimit++;
                }
            }
        }
        return new Expected(alarms, bad, inLimit);
    }

    /**
     * After the drain: telemetry.sh stops Weft (SIGTERM; its persistent session stays at the broker), then this
     * connects in Weft's session and counts what the broker still held for it: readings Weft never acknowledged.
     */
    static long leftInSession() throws Exception {
        Files.writeString(work.resolve("stop-weft"), "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(work.resolve("weft-stopped"))) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(100);
        }
        AtomicLong left = new AtomicLong();
        MqttAsyncClient probe = new MqttAsyncClient(broker, weftClientId, new MemoryPersistence());
        probe.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                left.incrementAndGet();
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int c, MqttProperties p) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        probe.connect(options).waitForCompletion(10_000);
        long seen = -1;
        for (int i = 0; i < 60 && left.get() != seen; i++) {
            seen = left.get();
            Thread.sleep(1_000);
        }
        probe.disconnect().waitForCompletion(2000);
        probe.close();
        log("Weft's session held %d messages after Weft stopped", left.get());
        return left.get();
    }

    // ---- publishers ------------------------------------------------------------------------------------------

    /** One MQTT connection and the thread that paces it. Paho resends what was in flight after a reconnect. */
    static final class Publisher implements MqttCallback {
        final int index;
        final MqttAsyncClient client;
        final MqttConnectionOptions options = new MqttConnectionOptions();
        final Semaphore window = new Semaphore(inflight);
        Thread thread;

        Publisher(int index) throws MqttException {
            this.index = index;
            client = new MqttAsyncClient(broker, "bench-" + run + "-" + index, new MemoryPersistence());
            client.setCallback(this);
            options.setCleanStart(false);
            options.setSessionExpiryInterval(600L);
            options.setAutomaticReconnect(true);
            options.setMaxReconnectDelay(1000);
            options.setConnectionTimeout(5);
            client.connect(options).waitForCompletion(10_000);
        }

        void start(long start) {
            thread = new Thread(() -> pace(start), "publisher-" + index);
            thread.start();
        }

        private void pace(long start) {
            double perConnection = rate / connections;
            long k = 0;
            while (publishing) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * perConnection);
                while (k < due && publishing) {
                    long seq = k * connections + index;
                    if (publish(seq)) {
                        k++;
                    } else {
                        LockSupport.parkNanos(20_000_000);
                    }
                }
                LockSupport.parkNanos(500_000);
            }
        }

        private boolean publish(long seq) {
            try {
                if (!window.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                MqttMessage message = new MqttMessage(payload(seq));
                message.setQos(1);
                client.publish(topic(seq), message, seq, null);
                handedToClient.incrementAndGet();
                return true;
            } catch (MqttException e) {
                // not connected (broker restarting) or the broker's receive maximum reached: try again shortly
                window.release();
                publishRetries.incrementAndGet();
                return false;
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            try {
                // Our token carries the sequence number; a token Paho restored after a reconnect has the message.
                long seq;
                if (token.getUserContext() instanceof Long s) {
                    seq = s;
                } else if (token.getMessage() != null) {
                    seq = seqOf(token.getMessage().getPayload());
                } else {
                    log("an acknowledged message without context or payload");
                    return;
                }
                synchronized (ackedSeqs) {
                    if (ackedSeqs.get((int) seq)) {
                        return;
                    }
                    ackedSeqs.set((int) seq);
                }
                acked.incrementAndGet();
                window.release();
            } catch (MqttException | RuntimeException e) {
                log("could not read an acknowledged message: %s", e);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.incrementAndGet();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }

        void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(2000);
                }
                client.close();
            } catch (MqttException ignored) {
                // done anyway
            }
        }
    }

    /** Mosquitto's $SYS counters: messages it stores (queued or in flight for a session) and messages it dropped. */
    static MqttAsyncClient watchBroker() throws MqttException {
        MqttAsyncClient sys = new MqttAsyncClient(broker, "bench-sys-" + run, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(1000);
        sys.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long v = Long.parseLong(new String(message.getPayload(), StandardCharsets.UTF_8).trim());
                if (topic.endsWith("store/messages/count")) {
                    storedAtBroker = v;
                } else {
                    droppedAtBroker = v;
                }
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                try {
                    sys.subscribe(new String[] {"$SYS/broker/store/messages/count", "$SYS/broker/publish/messages/dropped"},
                            new int[] {0, 0});
                } catch (MqttException e) {
                    log("cannot subscribe to $SYS: %s", e);
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void authPacketArrived(int c, MqttProperties p) {
            }
        });
        sys.connect(options).waitForCompletion(10_000);
        return sys;
    }

    // ---- sampling --------------------------------------------------------------------------------------------

    /** Once a second: one TSV row, and the cumulative figures the report and the drain read. */
    static final class Sampler {
        record Snapshot(long nanos, long acked, long processed, long alarmsCounted, long alarmsJournaled, long weftCpu,
                        long brokerCpu, long pgCpu, long selfCpu, long machineBusy, long machineTotal) {
        }

        private static final Pattern READINGS = Pattern.compile(
                "^weft_iot_readings_total\\{outcome=\"([a-z_]+)\",system=\"iot\"} ([0-9.E+]+)", Pattern.MULTILINE);
        private static final Pattern REJECTED = Pattern.compile(
                "^weft_inbound_rejected_total\\{reason=\"[a-z_]+\",system=\"iot\"} ([0-9.E+]+)", Pattern.MULTILINE);
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final List<String> rows = new ArrayList<>();
        Connection pg;
        Thread thread;
        volatile boolean running = true;
        long start;
        // Weft's counters live in its memory: after a kill -9 they start again from 0, so lives are added up.
        long processedInEarlierLives;
        long lastProcessedThisLife;
        long alarmsInEarlierLives;
        long lastAlarmsThisLife;
        long rejectedInEarlierLives;
        long lastRejectedThisLife;
        volatile long lastProcessedCumulative;
        volatile long lastAlarmsCounted;
        volatile long lastRejectedCumulative;
        volatile long lastAlarmsJournaled;
        volatile int weftRestarts;
        long scrapeFailures;
        long peakRssKb = -1;
        long lastRssKb = -1;
        Snapshot previous;

        void start(long start) {
            this.start = start;
            previous = take();
            rows.add("second\tpublished/s\tprocessed/s\talarms journaled/s\tWeft cores\tMosquitto cores\tPostgreSQL cores"
                    + "\tgenerator cores\tWeft RSS MB\tbroker stored");
            thread = new Thread(this::loop, "sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }

        private void loop() {
            long next = start + 1_000_000_000L;
            while (running) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += 1_000_000_000L;
                Snapshot now = take();
                double s = (now.nanos - previous.nanos) / 1e9;
                synchronized (rows) {
                    rows.add(String.format(Locale.ROOT, "%d\t%.0f\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d",
                            Math.round((now.nanos - start) / 1e9), (now.acked - previous.acked) / s,
                            (now.processed - previous.processed) / s, (now.alarmsJournaled - previous.alarmsJournaled) / s,
                            cores(now.weftCpu, previous.weftCpu, s), cores(now.brokerCpu, previous.brokerCpu, s),
                            cores(now.pgCpu, previous.pgCpu, s), cores(now.selfCpu, previous.selfCpu, s),
                            lastRssKb / 1024, storedAtBroker));
                }
                previous = now;
            }
        }

        static double cores(long now, long before, double s) {
            return now < 0 || before < 0 || now < before ? Double.NaN : (now - before) / 1e9 / s;
        }

        Snapshot snapshot() {
            return take();
        }

        synchronized Snapshot take() {
            scrapeWeft();
            long journaled = journaledAlarms();
            if (journaled >= 0) {
                lastAlarmsJournaled = journaled;
            }
            long rss = Procs.rssKb(Procs.pid(work.resolve("weft.pid")));
            if (rss > 0) {
                lastRssKb = rss;
                peakRssKb = Math.max(peakRssKb, rss);
            }
            long[] machine = Procs.machineCpuNs();
            return new Snapshot(System.nanoTime(), acked.get(), lastProcessedCumulative, lastAlarmsCounted,
                    lastAlarmsJournaled, Procs.cpuNs(Procs.pid(work.resolve("weft.pid"))),
                    Procs.cpuNs(Procs.pid(work.resolve("mosquitto.pid"))), Procs.postgresCpuNs(), Procs.selfCpuNs(),
                    machine[0], machine[1]);
        }

        private void scrapeWeft() {
            String text;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metricsUrl))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    return;
                }
                text = r.body();
            } catch (IOException e) {
                if (scrapeFailures++ % 10 == 0) {
                    log("cannot scrape Weft's metrics (%s); down or restarting?", e);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long processed = 0;
            long alarms = 0;
            Matcher m = READINGS.matcher(text);
            while (m.find()) {
                long v = (long) Double.parseDouble(m.group(2));
                processed += v;
                if (m.group(1).equals("alarm")) {
                    alarms = v;
                }
            }
            if (processed == 0 && text.contains("weft_iot_readings_total{") && scrapeFailures++ % 10 == 0) {
                int at = text.indexOf("weft_iot_readings_total{");
                log("Weft's readings counter not understood: %s", text.substring(at, Math.min(text.length(), at + 120)));
            }
            long rejected = 0;
            Matcher r = REJECTED.matcher(text);
            while (r.find()) {
                rejected += (long) Double.parseDouble(r.group(1));
            }
            if (processed < lastProcessedThisLife) {
                weftRestarts++;
                processedInEarlierLives += lastProcessedThisLife;
                alarmsInEarlierLives += lastAlarmsThisLife;
                rejectedInEarlierLives += lastRejectedThisLife;
            }
            lastProcessedThisLife = processed;
            lastAlarmsThisLife = alarms;
            lastRejectedThisLife = rejected;
            lastProcessedCumulative = processedInEarlierLives + processed + rejectedInEarlierLives + rejected;
            lastAlarmsCounted = alarmsInEarlierLives + alarms;
            lastRejectedCumulative = rejectedInEarlierLives + rejected;
        }

        long journaledAlarms() {
            try {
                if (pg == null || pg.isClosed()) {
                    pg = DriverManager.getConnection(pgUrl);
                }
                try (Statement s = pg.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(*) FROM message WHERE source_system = 'iot'")) {
                    r.next();
                    return r.getLong(1);
                }
            } catch (SQLException e) {
                pg = null;
                return -1; // the schema is not there before Weft's first start
            }
        }
    }

    // ---- /proc -----------------------------------------------------------------------------------------------

    static final class Procs {
        static long pid(Path file) {
            try {
                return Long.parseLong(Files.readString(file).trim());
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** utime + stime in ns (100 clock ticks a second, Linux's default). */
        static long cpuNs(long pid) {
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

        static long rssKb(long pid) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (l.startsWith("VmRSS:")) {
                        return Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // gone
            }
            return -1;
        }

        static long selfCpuNs() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : -1;
        }

        /** Every process named postgres* on the machine (backends that ended take their time with them). */
        static long postgresCpuNs() {
            long sum = 0;
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) dirs::iterator) {
                    if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith("postgres")) {
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // went away
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return sum;
        }

        /** {busy, total} CPU of the whole machine in ns, from /proc/stat. */
        static long[] machineCpuNs() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new long[] {(total - idle) * 10_000_000L, total * 10_000_000L};
            } catch (IOException | RuntimeException e) {
                return new long[] {-1, -1};
            }
        }
    }

    // ---- the result file -------------------------------------------------------------------------------------

    static final class Report {
        static void write(Sampler sampler, Sampler.Snapshot from, Sampler.Snapshot to, Expected expected, long start,
                          long drainedAt, long loadEnd) throws Exception {
            double s = (to.nanos() - from.nanos()) / 1e9;
            double published = (to.acked() - from.acked()) / s;
            double processed = (to.processed() - from.processed()) / s;
            double alarms = (to.alarmsJournaled() - from.alarmsJournaled()) / s;
            double weftCores = Sampler.cores(to.weftCpu(), from.weftCpu(), s);
            Set<String> journaled = new HashSet<>();
            long rows;
            long rejections;
            long raisedStates;
            try (Connection c = DriverManager.getConnection(pgUrl); Statement st = c.createStatement()) {
                try (ResultSet r = st.executeQuery("SELECT source_message_id FROM message WHERE source_system = 'iot'")) {
                    while (r.next()) {
                        journaled.add(r.getString(1));
                    }
                }
                rows = single(st, "SELECT count(*) FROM message WHERE source_system = 'iot'");
                rejections = single(st, "SELECT count(*) FROM inbound_rejection WHERE source_system = 'iot'");
                raisedStates = single(st, "SELECT count(*) FROM iot_alarm_state WHERE raised AND line = '" + line() + "'");
            }
            Set<String> missing = new HashSet<>(expected.alarms());
            missing.removeAll(journaled);
            Set<String> extra = new HashSet<>(journaled);
            extra.removeAll(expected.alarms());
            long owed = acked.get();
            long counted = sampler.lastProcessedCumulative;
            boolean lost = !missing.isEmpty() || leftInWeftSession != 0 || droppedAtBroker > 0 || rejections < expected.bad()
                    || (sampler.weftRestarts == 0 && counted < owed);

            StringBuilder r = new StringBuilder();
            r.append("# MQTT telemetry benchmark (").append(mode).append(")\n\n");
            r.append("Run ").append(Instant.now()).append(", run token `").append(run).append("`.\n\n");
            Path settings = work.resolve("settings.md");
            if (Files.exists(settings)) {
                r.append(Files.readString(settings)).append('\n');
            }
            if (!notes.isBlank()) {
                r.append("Note: ").append(notes).append("\n\n");
            }
            r.append("## Load\n\n| | |\n|---|---|\n");
            row(r, "offered", fmt(rate) + " readings/s at QoS 1 on " + connections + " connections (at most " + inflight
                    + " unacknowledged each), " + warmupS + " s warm-up then " + durationS + " s measured");
            row(r, "mix", fmt(alarmShare) + " % past the limit (each on a machine of its own: every one raises an alarm), "
                    + fmt(badShare) + " % bad (no value: a rejection), the rest in limit on " + machines + " machines");
            r.append("\n## Measured phase (").append(fmt(s)).append(" s)\n\n| | |\n|---|---|\n");
            row(r, "readings published (acknowledged by the broker)", fmt(published) + " /s");
            row(r, "**readings processed by Weft** (weft_iot_readings_total + rejections)", "**" + fmt(processed) + " /s**");
            row(r, "**alarms journaled** (rows in PostgreSQL)", "**" + fmt(alarms) + " /s**");
            row(r, "Weft CPU", fmt2(weftCores) + " cores" + (processed > 0 ? ", " + fmt(weftCores * 1e6 / processed)
                    + " µs per reading" : ""));
            row(r, "Mosquitto CPU", fmt2(Sampler.cores(to.brokerCpu(), from.brokerCpu(), s)) + " cores");
            row(r, "PostgreSQL CPU (all postgres processes on the machine)", fmt2(Sampler.cores(to.pgCpu(), from.pgCpu(), s)) + " cores");
            row(r, "generator CPU (this program, incl. sampling)", fmt2(Sampler.cores(to.selfCpu(), from.selfCpu(), s)) + " cores");
            row(r, "machine busy", fmt2((to.machineBusy() - from.machineBusy()) / 1e9 / s) + " of "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            row(r, "Weft RSS", "last " + sampler.lastRssKb / 1024 + " MB, peak " + sampler.peakRssKb / 1024 + " MB");
            r.append("\n## Accounting (everything the broker acknowledged)\n\n| | |\n|---|---|\n");
            row(r, "readings handed to the MQTT clients / acknowledged by the broker", handedToClient.get() + " / " + owed);
            row(r, "of those: in limit / alarms / bad", expected.inLimit() + " / " + expected.alarms().size() + " / " + expected.bad());
            row(r, "processed, counted by Weft (all lives)", counted + (sampler.weftRestarts > 0
                    ? " (Weft restarted " + sampler.weftRestarts + " time(s): its counters are in memory, what the killed "
                    + "instance counted after its last scrape is not seen, and readings it processed but had not "
                    + "acknowledged are processed again)" : ""));
            row(r, "alarms expected / journaled (iot messages) / missing / not expected", expected.alarms().size() + " / "
                    + rows + " / " + missing.size() + " / " + extra.size());
            row(r, "alarms journaled twice", String.valueOf(rows - journaled.size()));
            row(r, "alarm states raised for this run's line", String.valueOf(raisedStates));
            row(r, "rejections expected / recorded", expected.bad() + " / " + rejections
                    + (rejections > expected.bad() ? " (an MQTT message has no id: one redelivered after a kill is recorded again)" : ""));
            row(r, "readings left unacknowledged in Weft's session (read in its session after Weft stopped)",
                    String.valueOf(leftInWeftSession));
            row(r, "messages the broker stores at the end, beyond its $SYS retained ones / dropped ($SYS)",
                    (storedAtBroker - storedBeforeLoad) + " / " + droppedAtBroker);
            row(r, "publish retries (client not connected or window full) / client disconnects", publishRetries.get() + " / " + disconnects.get());
            row(r, "drained", drainedAt < 0 ? "NO (drain timeout " + drainTimeoutS + " s)"
                    : fmt((drainedAt - loadEnd) / 1e9) + " s after the load ended");
            row(r, "**lost**", drainedAt < 0 && !missing.isEmpty()
                    ? "not determined: Weft did not catch up within the drain timeout (what it had not taken is what "
                    + "is left in its session above; run longer or slower to account)"
                    : lost ? "**YES: see missing / left / dropped above**" : "**0**");
            if (!missing.isEmpty()) {
                row(r, "some missing alarms", String.join(", ", missing.stream().limit(10).toList()));
            }
            Path events = work.resolve("events.txt");
            if (Files.exists(events)) {
                r.append("\n## Events\n\n```\n").append(Files.readString(events)).append("```\n");
            }
            r.append("\nPer-second series: `").append(tsv.getFileName()).append("` (seconds from the start of the load, "
                    + "warm-up included).\n");
            Files.writeString(out, r.toString());
            synchronized (sampler.rows) {
                Files.write(tsv, sampler.rows);
            }
            log("wrote %s and %s", out, tsv);
            System.out.print(r);
        }

        static long single(Statement st, String sql) throws SQLException {
            try (ResultSet r = st.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }

        static void row(StringBuilder r, String name, String value) {
            r.append("| ").append(name).append(" | ").append(value).append(" |\n");
        }

        static String fmt(double v) {
            return Double.isNaN(v) ? "n/a" : v == Math.rint(v) || Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                    : String.format(Locale.ROOT, "%.1f", v);
        }

        static String fmt2(double v) {
            return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
