package io.weft.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.weft.testing.Auth;
import io.weft.testing.Orders;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftApi;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (issue 11): Debian's chromium driven by playwright-core runs
 * {@code src/test/browser/scenarios.mjs} against the packaged Weft, whose MES, ERP and supplier portal are real
 * HTTP servers here and whose WMS is a real outbox folder. The MES is down overnight, so the first orders' MES
 * deliveries are DEAD when the browser starts; the scripts start the MES again through a small control server.
 * The scripts' JSON report and exit code are the verdict; screenshots go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final WeftProcess.Processes weft = new WeftProcess.Processes();

    private final RecordingDestination mes = RecordingDestination.start("mes", "/api", 201);
    private final RecordingDestination erp = RecordingDestination.start("erp", "/", 200);
    private final RecordingDestination supplier = RecordingDestination.start("supplier", "/", 200);
    private HttpServer control;

    @AfterEach
    void stop() {
        mes.close();
        erp.close();
        supplier.close();
        if (control != null) {
            control.stop(0);
        }
    }

    @Test
    void theOperatorsMorningAndEveryPageInARealBrowser() throws Exception {
        Path target = WeftProcess.projectDir().resolve("target");
        Path data = Files.createTempDirectory("weft-console-");
        Map<String, String> config = new HashMap<>();
        config.put("weft.data-dir", data.toString());
        config.put("weft.systems.mes.url", mes.baseUrl());
        config.put("weft.systems.erp.url", erp.baseUrl());
        config.put("weft.systems.supplier.url", supplier.baseUrl());
        config.put("weft.systems.wms.inbox", "file:" + data.resolve("wms/inbox"));
        config.put("weft.systems.wms.outbox", "file:" + data.resolve("wms/outbox"));
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "false");
        config.put("weft.delivery.max-attempts", "2");
        config.put("weft.delivery.initial-backoff", "200ms");
        config.put("weft.delivery.poll-interval", "200ms");
        config.put("weft.health.probe-interval", "1s");
        config.put("quarkus.http.auth.session.encryption-key", "console-browser-test-session-key-0123456789");
        WeftProcess process = weft.start("console", config).awaitReady(Duration.ofSeconds(90));

        // Overnight: the MES is down; three orders end DEAD for it (delivered to the WMS).
        mes.goDown();
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String order = Orders.nextOrderNumber();
            post(process, order);
            dead.add(order);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> WeftApi.get(process, "/api/deliveries?status=DEAD&destination=mes").size() == dead.size());
        assertPagesNeedALogin(process);

        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        control.createContext("/mes/up", exchange -> {
            mes.comeBack();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        control.start();

        Path browser = WeftProcess.projectDir().resolve("src/test/browser");
        Path modules = installOnce(browser, target);
        Path report = target.resolve("console-browser-report.json");
        Files.deleteIfExists(report);
        Files.deleteIfExists(target.resolve("console-browser.log"));
        ProcessBuilder node = new ProcessBuilder("node", browser.resolve("scenarios.mjs").toString())
                .directory(browser.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(target.resolve("console-browser.log").toFile()));
        node.environment().put("NODE_MODULES", modules.toString());
        node.environment().put("WEFT_URL", process.uri().toString());
        node.environment().put("CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort());
        node.environment().put("SCREENSHOTS", target.resolve("console-screenshots").toString());
        node.environment().put("REPORT", report.toString());
        node.environment().put("DEAD_ORDERS", String.join(",", dead));
        node.environment().put("PAUSE_ORDERS", Orders.nextOrderNumber() + "," + Orders.nextOrderNumber());
        Process run = node.start();
        boolean ended = run.waitFor(180, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            run.destroyForcibly();
        }
        String log = Files.readString(target.resolve("console-browser.log"));
        assertTrue(ended, "the browser scenarios did not end within 180 s\n" + log);
        assertTrue(Files.exists(report), "the scenarios wrote no report\n" + log);
        JsonNode result = JSON.readTree(report.toFile());
        List<String> failed = new ArrayList<>();
        result.get("scenarios").forEach(s -> {
            if (!s.get("ok").asBoolean()) {
                failed.add(s.get("name").asText() + ": " + s.get("error").asText());
            }
        });
        assertEquals(List.of(), failed, log);
        assertEquals(0, run.exitValue(), log);
        assertTrue(result.get("scenarios").size() >= 8, "every scenario ran: " + result.get("scenarios"));
        assertTrue(result.get("screenshots").size() >= 16, "screenshots of every page at both sizes");
        // The wrong password of the first scenario is in the audit trail, like a refused Basic login.
        JsonNode refused = WeftApi.get(process, "/api/audit?action=console-login&outcome=refused");
        assertTrue(refused.size() >= 1 && "operator".equals(refused.get(0).get("actor").asText()), refused.toString());
        // Replayed once: the MES received each DEAD order exactly once after it came back.
        assertEquals(dead.size() + 2, mes.received().stream().filter(RecordingDestination.Received::accepted).count(),
                "the MES received each replayed order and each order posted while paused once");
    }

    /** {@code /} without a session redirects to the login page and shows no data; scripts keep HTTP Basic. */
    private static void assertPagesNeedALogin(WeftProcess process) throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(process.uri().resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, page.statusCode(), page.body());
        assertEquals("/login", URI.create(page.headers().firstValue("Location").orElseThrow()).getPath());
        HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(process.uri().resolve("/api/systems"))
                .headers(Auth.headers(Auth.operator("viewer"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, basic.statusCode(), basic.body());
        // The pages are for people: the operations API's OpenAPI document lists none of them.
        HttpResponse<String> openapi = HTTP.send(HttpRequest.newBuilder(process.managementUri().resolve("/q/openapi?format=json"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode paths = JSON.readTree(openapi.body()).get("paths");
        assertTrue(paths.has("/api/landscape") && !paths.has("/login") && !paths.has("/search") && !paths.has("/"),
                "OpenAPI paths: " + paths.fieldNames());
    }

    private static void post(WeftProcess process, String order) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(process.uri().resolve("/inbound/erp/production-orders"))
                .headers(Auth.headers(Auth.erp())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
    }

    /**
     * {@code npm ci} of the scenarios' one dependency (playwright-core, no browser download) into
     * {@code target/browser-node}, once per build: later runs find it there.
     */
    private static Path installOnce(Path browser, Path target) throws Exception {
        Path dir = target.resolve("browser-node");
        Path modules = dir.resolve("node_modules");
        if (Files.isDirectory(modules.resolve("playwright-core"))) {
            return modules;
        }
        Files.createDirectories(dir);
        Files.copy(browser.resolve("package.json"), dir.resolve("package.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(browser.resolve("package-lock.json"), dir.resolve("package-lock.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(target.resolve("npm-ci.log").toFile()));
        npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process install = npm.start();
        assertTrue(install.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) && install.exitValue() == 0,
                "npm ci failed: " + Files.readString(target.resolve("npm-ci.log")));
        return modules;
    }
}
