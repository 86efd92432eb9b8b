package io.weft.observe;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness reads what the probes last found and does no I/O itself: with the QMS database's JDBC URL pointing to
 * a loopback socket that accepts connections and never answers (a database that hangs), {@code /q/health/ready}
 * still answers within 100 ms on every call, Weft stays UP, and the QMS is reported DOWN. On each store
 * ({@link ReadinessWithSlowQmsOnH2Test}, {@link ReadinessWithSlowQmsOnPostgresTest}): the store's own check is
 * part of readiness too.
 */
abstract class ReadinessWithSlowQms {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TIMINGS = new CopyOnWriteArrayList<>();
    private static int excused;
    static BlackHole qmsDatabase;

    /** A TCP server that accepts every connection and never sends a byte. */
    static final class BlackHole implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "black-hole-qms");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    public static class HangingQms implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                qmsDatabase = new BlackHole();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // No connect or socket timeout in the URL: the driver waits for the server's greeting for as long as
            // its defaults allow (30 s), longer than any health check may take.
            return Map.of("quarkus.datasource.qms.jdbc.url",
                    "jdbc:mariadb://127.0.0.1:" + qmsDatabase.server.getLocalPort() + "/qms",
                    "quarkus.datasource.qms.username", "weft");
        }

        @Override
        public void stop() {
            try {
                qmsDatabase.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A hanging QMS, probes every 200 ms with a 1 s timeout; the store is the subclass's. */
    abstract static class Profile implements QuarkusTestProfile {
        abstract Map<String, String> store();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(store());
            config.put("weft.health.probe-interval", "200ms");
            config.put("weft.health.probe-timeout", "1s");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HangingQms.class));
        }
    }

    public static class OnH2 extends Profile {
        @Override
        Map<String, String> store() {
            return TestStores.h2();
        }
    }

    public static class OnPostgres extends Profile {
        @Override
        Map<String, String> store() {
            return TestStores.postgres();
        }
    }

    @org.junit.jupiter.api.BeforeAll
    static void noSlowCallsYet() {
        TIMINGS.clear();
        excused = 0;
    }

    @Test
    void readinessAnswersFastAndStaysUpWhileTheQmsDatabaseHangs() throws Exception {
        for (int i = 0; i < 5; i++) {
            ready(); // the first calls load classes and open the connection; they are not what is measured
        }
        // While the probe of the hanging QMS is under way (first UNKNOWN, then DOWN once it took over 1 s), every
        // call is measured too.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String qms = timedReady();
        while (!qms.startsWith("DOWN")) {
            assertTrue(System.nanoTime() < deadline, "the QMS is not reported DOWN within 30 s: " + qms);
            Thread.sleep(100);
            qms = timedReady();
        }
        assertTrue(qmsDatabase.accepted.size() >= 1, "the QMS probe connected to the hanging database");
        // The hanging probe holds up no other: the MES (its URL points at a port of this machine) has been checked.
        String mes = JSON.readTree(ready().body()).path("checks").findValues("data").stream()
                .filter(d -> d.has("mes")).findFirst().orElseThrow().path("mes").asText();
        assertTrue(mes.startsWith("UP") || mes.startsWith("DOWN"), "mes: " + mes);
        for (int i = 0; i < 10; i++) {
            qms = timedReady();
            assertTrue(qms.startsWith("DOWN since "), qms);
            Thread.sleep(200);
        }
        // The hanging probe is not started again on every round: at most one connection per probe timeout.
        assertTrue(qmsDatabase.accepted.size() <= 30, "connections to the QMS: " + qmsDatabase.accepted.size());
    }

    /**
     * One readiness call that must answer 200 UP within 100 ms (timed around the HTTP exchange only, with the JDK's
     * client, so the measure is Weft's answer, not the test's JSON handling); returns what it says of the QMS.
     *
     * <p>The machine running the tests is shared (2 cores, several builds at once), so a call can be slow because the
     * JVM got no CPU. Such a call is excused only when a request that does nothing at all ({@code /q/health/started},
     * no checks), sent right after it, is slow too (over 20 ms), at most 3 times per test, and never beyond 1 s: a
     * readiness check waiting on the hanging QMS would take seconds (the datasource's 3 s acquisition timeout) while
     * the idle request stays fast.
     */
    private static String timedReady() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = ready();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = JSON.readTree(response.body());
        assertEquals("UP", health.path("status").asText(), response.body());
        if (millis >= 100) {
            long idle = idleRequestMillis();
            TIMINGS.add(millis + " ms (idle request " + idle + " ms)");
            assertTrue(millis < 1000 && idle > 20 && ++excused <= 3, "/q/health/ready took " + millis
                    + " ms while a request doing nothing took " + idle + " ms; slow calls: " + TIMINGS);
        }
        for (JsonNode check : health.path("checks")) {
            if ("weft-systems".equals(check.path("name").asText())) {
                return check.path("data").path("qms").asText();
            }
        }
        throw new AssertionError("no check weft-systems in " + response.body());
    }

    private static long idleRequestMillis() throws Exception {
        long started = System.nanoTime();
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + io.weft.testing.Management.port() + "/q/health/started"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static HttpResponse<String> ready() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + io.weft.testing.Management.port() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
