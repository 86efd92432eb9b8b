package io.weft.observe;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.weft.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness reads what the probes last found and does no I/O itself: with the QMS database's JDBC URL pointing to
 * a loopback socket that accepts connections and never answers (a database that hangs), {@code /q/health/ready}
 * still answers within 100 ms on every call, Weft stays UP, and the QMS is reported DOWN.
 */
@QuarkusTest
@TestProfile(ReadinessWithSlowQmsTest.Profile.class)
class ReadinessWithSlowQmsTest {
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

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.put("weft.data-dir", "./target/h2-" + UUID.randomUUID());
            config.put("weft.health.probe-interval", "200ms");
            config.put("weft.health.probe-timeout", "1s");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HangingQms.class));
        }
    }

    @Test
    void readinessAnswersFastAndStaysUpWhileTheQmsDatabaseHangs() {
        for (int i = 0; i < 3; i++) {
            ready(); // the first calls load classes; they are not what is measured
        }
        // While the probe of the hanging QMS is under way (first UNKNOWN, then DOWN once it took over 1 s), every
        // call is measured.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response response = timedReady();
            assertTrue(response.path("checks.find { it.name == 'weft-systems' }.data.qms").toString().startsWith("DOWN"),
                    "qms: " + response.path("checks.find { it.name == 'weft-systems' }.data.qms"));
        });
        assertTrue(qmsDatabase.accepted.size() >= 1, "the QMS probe connected to the hanging database");
        for (int i = 0; i < 10; i++) {
            Response response = timedReady();
            String qms = response.path("checks.find { it.name == 'weft-systems' }.data.qms");
            assertTrue(qms.startsWith("DOWN since "), qms);
        }
        // The hanging probe is not started again on every round: at most one connection per probe timeout.
        assertTrue(qmsDatabase.accepted.size() <= 30, "connections to the QMS: " + qmsDatabase.accepted.size());
    }

    /** One readiness call that must answer 200 UP within 100 ms. */
    private static Response timedReady() {
        long started = System.nanoTime();
        Response response = ready();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("UP", response.path("status"), response.asString());
        assertTrue(millis < 100, "/q/health/ready took " + millis + " ms");
        return response;
    }

    private static Response ready() {
        return given().get("/q/health/ready").andReturn();
    }
}
