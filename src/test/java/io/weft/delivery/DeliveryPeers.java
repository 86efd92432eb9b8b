package io.weft.delivery;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.weft.testing.QmsDatabase;
import io.weft.testing.RecordingDestination;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The destinations the delivery guarantee tests deliver to, all real and on loopback: the MES as a WireMock server
 * (any answer, delay or fault), the ERP as a {@link RecordingDestination} (it counts what it received per
 * Idempotency-Key and can go down and come back on its port), the supplier portal as a bare listening socket that
 * a test closes (connection refused from then on), the QMS as a fresh MariaDB database whose production_result
 * table is narrower and stricter than the canonical schema (as a legacy database may be), and WMS folders.
 */
public class DeliveryPeers implements QuarkusTestResourceLifecycleManager {
    /** production_result.material_no is this wide in the test QMS; the canonical material may be 64 long. */
    static final int QMS_MATERIAL_WIDTH = 12;
    /** The test QMS refuses a good quantity above this (a CHECK constraint). */
    static final int QMS_MAX_GOOD_QTY = 100_000;

    private static WireMockServer mes;
    private static RecordingDestination erp;
    private static ServerSocket supplier;
    private static Path wmsOutbox;

    static WireMockServer mes() {
        return mes;
    }

    static RecordingDestination erp() {
        return erp;
    }

    /** The folder Weft writes the WMS's files into. */
    static Path wmsOutbox() {
        return wmsOutbox;
    }

    /** The supplier portal stops listening: every connection to its port is refused from now on. */
    static void closeSupplierPort() throws IOException {
        supplier.close();
    }

    @Override
    public Map<String, String> start() {
        mes = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        mes.start();
        erp = RecordingDestination.start("erp", "/api", 200);
        try {
            supplier = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Path wms = Files.createTempDirectory("weft-wms-");
            wmsOutbox = Files.createDirectories(wms.resolve("outbox"));
            Map<String, String> config = new HashMap<>(Map.of(
                    "weft.systems.mes.url", mes.baseUrl(),
                    "weft.systems.erp.url", erp.baseUrl(),
                    "weft.systems.supplier.url", "http://127.0.0.1:" + supplier.getLocalPort(),
                    "weft.systems.wms.inbox", "file:" + Files.createDirectories(wms.resolve("inbox")),
                    "weft.systems.wms.outbox", "file:" + wmsOutbox,
                    "weft.systems.wms.poll-interval-ms", "200"));
            config.putAll(QmsDatabase.weftConfig(strictQms()));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String strictQms() {
        String url = QmsDatabase.create();
        try (Connection c = QmsDatabase.connect(url); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE production_result MODIFY material_no VARCHAR(" + QMS_MATERIAL_WIDTH + ") NOT NULL");
            s.execute("ALTER TABLE production_result ADD CONSTRAINT ck_good_qty CHECK (good_qty <= "
                    + QMS_MAX_GOOD_QTY + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot narrow the test QMS table: " + e.getMessage(), e);
        }
        return url;
    }

    @Override
    public void stop() {
        mes.stop();
        erp.close();
        try {
            supplier.close();
        } catch (IOException e) {
            // already closed by a test
        }
    }
}
