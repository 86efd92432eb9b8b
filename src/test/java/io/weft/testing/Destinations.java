package io.weft.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The sample plant's systems for a test application: the MES, ERP and supplier portal as real HTTP servers
 * (WireMock) on loopback ports, and the WMS's drop folders as real temporary folders; Weft is pointed at them.
 * Tests program the servers' answers, read what they received, drop files into the WMS inbox and read the
 * files Weft wrote into the WMS outbox.
 */
public class Destinations implements QuarkusTestResourceLifecycleManager {
    private static WireMockServer mes;
    private static WireMockServer erp;
    private static WireMockServer supplier;
    private static Path wmsInbox;
    private static Path wmsOutbox;

    public static WireMockServer mes() {
        return mes;
    }

    public static WireMockServer erp() {
        return erp;
    }

    public static WireMockServer supplier() {
        return supplier;
    }

    /** Where the WMS drops its goods receipt files (Weft reads them; finished ones move to {@code done/}). */
    public static Path wmsInbox() {
        return wmsInbox;
    }

    /** Where Weft writes the WMS's files. */
    public static Path wmsOutbox() {
        return wmsOutbox;
    }

    private boolean localWms = true;

    /** Init argument {@code wms=none}: the WMS folders come from another test resource (e.g. {@link SftpServer}). */
    @Override
    public void init(Map<String, String> initArgs) {
        localWms = !"none".equals(initArgs.get("wms"));
    }

    @Override
    public Map<String, String> start() {
        mes = server();
        erp = server();
        supplier = server();
        try {
            Path wms = Files.createTempDirectory("weft-wms-");
            wmsInbox = Files.createDirectories(wms.resolve("inbox"));
            wmsOutbox = Files.createDirectories(wms.resolve("outbox"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new java.util.HashMap<>(Map.of("weft.systems.mes.url", mes.baseUrl(),
                "weft.systems.erp.url", erp.baseUrl(),
                "weft.systems.supplier.url", supplier.baseUrl()));
        if (localWms) {
            config.putAll(Map.of("weft.systems.wms.inbox", "file:" + wmsInbox,
                    "weft.systems.wms.outbox", "file:" + wmsOutbox,
                    "weft.systems.wms.poll-interval-ms", "200"));
        }
        return config;
    }

    private static WireMockServer server() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        server.start();
        return server;
    }

    @Override
    public void stop() {
        mes.stop();
        erp.stop();
        supplier.stop();
    }
}
