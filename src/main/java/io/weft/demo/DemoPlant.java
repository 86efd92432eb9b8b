package io.weft.demo;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo plant (demo profile only, {@code weft.demo.enabled}): a simulated MES and WMS, real HTTP servers
 * on the ports configured as their URLs, that accept what Weft delivers, and a simulated ERP that releases a
 * production order every {@code weft.demo.order-interval}. Nothing here runs unless the demo is enabled.
 */
@ApplicationScoped
public class DemoPlant {
    private static final Logger LOG = Logger.getLogger(DemoPlant.class);
    private static final String[] PLANTS = {"P1", "P1", "P1", "P2"};
    private static final String[] MATERIALS = {"MAT-4711", "MAT-0815", "MAT-2001", "MAT-3150"};
    /**
     * The demo's credentials: its systems' API keys and its operator. Only their hashes are configured (the %demo
     * and %dev profile in application.properties); they are printed at start and shown in the README, and are
     * worth nothing outside the demo.
     */
    public static final String DEMO_ERP_KEY = "demo-erp-key";
    public static final String DEMO_OPERATOR = "demo";
    public static final String DEMO_OPERATOR_PASSWORD = "demo-operator";

    @Inject
    Vertx vertx;
    @ConfigProperty(name = "weft.demo.enabled")
    boolean enabled;
    @ConfigProperty(name = "weft.demo.order-interval")
    Duration orderInterval;
    @ConfigProperty(name = "weft.systems.mes.url")
    URI mesUrl;
    @ConfigProperty(name = "weft.systems.wms.outbox")
    String wmsOutbox;
    @ConfigProperty(name = "quarkus.http.port")
    int weftPort;

    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicLong nextOrder = new AtomicLong(1_000_000 + System.currentTimeMillis() % 100_000 * 10);
    private final HttpClient http = HttpClient.newHttpClient();
    private long timer = -1;

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        simulate("MES", mesUrl.getPort());
        timer = vertx.setPeriodic(orderInterval.toMillis(), id -> vertx.executeBlocking(() -> {
            releaseOrder();
            return null;
        }, false));
        LOG.infof("demo plant running: ERP releases an order every %s; MES on %s, WMS files in %s; journal at "
                + "http://localhost:%d/api/messages", orderInterval, mesUrl, wmsOutbox, weftPort);
        LOG.infof("demo credentials (demo only): operator %s / %s (admin, payload), e.g. curl -u %s:%s "
                        + "http://localhost:%d/api/messages; system API keys (header X-Api-Key): erp=%s, mes=demo-mes-key, "
                        + "supplier=demo-supplier-key, crm=demo-crm-key", DEMO_OPERATOR, DEMO_OPERATOR_PASSWORD,
                DEMO_OPERATOR, DEMO_OPERATOR_PASSWORD, weftPort, DEMO_ERP_KEY);
        LOG.infof("console: open http://localhost:%d/ in a browser and log in as %s / %s", weftPort, DEMO_OPERATOR,
                DEMO_OPERATOR_PASSWORD);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        servers.forEach(HttpServer::close);
    }

    private void simulate(String name, int port) {
        vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            LOG.infof("[demo %s] received %s %s (Idempotency-Key %s): %s", name, request.method(), request.path(),
                    request.getHeader("Idempotency-Key"), body);
            request.response().setStatusCode(ThreadLocalRandom.current().nextInt(10) == 0 ? 503 : 200)
                    .end("{\"accepted\":true}");
        })).listen(port, "127.0.0.1").onSuccess(servers::add)
                .onFailure(e -> LOG.errorf("demo %s could not listen on %d: %s", name, port, e.getMessage()));
    }

    private void releaseOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        LocalDate start = LocalDate.now().plusDays(random.nextInt(1, 10));
        String order = """
                {"AUFNR": "%d", "WERKS": "%s", "MATNR": "%s", "GAMNG": %d, "GMEIN": "PC",
                 "GSTRP": "%s", "GLTRP": "%s", "STATUS": "REL"}""".formatted(nextOrder.incrementAndGet(),
                PLANTS[random.nextInt(PLANTS.length)], MATERIALS[random.nextInt(MATERIALS.length)],
                random.nextInt(1, 50) * 10, start, start.plusDays(2));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + weftPort + "/inbound/erp/production-orders"))
                    .header("Content-Type", "application/json").header("X-Api-Key", DEMO_ERP_KEY).POST(HttpRequest.BodyPublishers.ofString(order))
                    .build(), HttpResponse.BodyHandlers.ofString());
            LOG.infof("[demo ERP] released order: %d %s", answer.statusCode(), answer.body());
        } catch (Exception e) {
            LOG.warnf("[demo ERP] could not send an order: %s", e.getMessage());
        }
    }
}
