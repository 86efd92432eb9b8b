package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.weft.testing.TestFiles;
import io.weft.testing.TestStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Weft against {@link DeliveryPeers}, on each store. Fast retries everywhere (4 attempts, 200 ms to 1 s), except
 * the MES, the supplier portal and the WMS, whose first retry is 30 s away so that a test sees a delivery RETRYING; the ERP
 * holds its leases for 1.5 s only, shorter than one of its slow attempts. The MES's lease and batch size are
 * what the slow-destination test needs on each store; HTTP requests time out after 30 s.
 */
final class DeliveryProfiles {
    /** A ProductionOrder for this material cannot be translated for the MES (see {@link #mappingsWithAGap()}). */
    static final String UNTRANSLATABLE_MATERIAL = "MAT-BROKEN";

    private DeliveryProfiles() {
    }

    abstract static class Base implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DeliveryPeers.class));
        }

        Map<String, String> common() {
            Map<String, String> config = TestStores.fastDelivery();
            config.put("weft.mappings-dir", mappingsWithAGap().toString());
            // Reachability from delivery evidence only, after the probe at start: a probe must not mask it.
            config.put("weft.health.probe-interval", "1h");
            for (String slowToRetry : List.of("mes", "supplier", "wms")) {
                config.put("weft.systems." + slowToRetry + ".delivery.initial-backoff", "30s");
                config.put("weft.systems." + slowToRetry + ".delivery.max-backoff", "60s");
            }
            config.put("weft.systems.erp.delivery.lease", "1500ms");
            // The slow-destination test keeps the workers busy for up to 15 s with a single request: no timeout
            // there (a timeout is UNREACHABLE, which hands the batch back).
            config.put("camel.component.http.response-timeout", "30000");
            config.put("camel.component.http.so-timeout", "30000");
            return config;
        }
    }

    /** The same ratio of lease to batch size as the defaults, scaled down ten times: 6 s and 10 per claim, on H2. */
    public static class H2 extends Base {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = common();
            config.putAll(io.weft.testing.TestStores.h2());
            config.put("weft.systems.mes.delivery.lease", "6s");
            config.put("weft.systems.mes.delivery.batch-size", "10");
            return config;
        }
    }

    /** The same ratio of lease to batch size as the defaults, scaled down ten times: 6 s and 10 per claim. */
    public static class Postgres extends Base {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = common();
            config.putAll(io.weft.testing.TestStores.postgres());
            config.put("weft.systems.mes.delivery.lease", "6s");
            config.put("weft.systems.mes.delivery.batch-size", "10");
            return config;
        }
    }

    /**
     * A copy of the plant's mappings in which the MES mapping fails, as a real mapping does, for one material:
     * a JSONata {@code $error}, which Weft reports as a mapping failure.
     */
    static Path mappingsWithAGap() {
        try {
            Path mappings = TestFiles.copyTree(Path.of("mappings"), Files.createTempDirectory("weft-mappings-").resolve("m"));
            Path mes = mappings.resolve("mes/ProductionOrder.out.jsonata");
            Files.writeString(mes, "(\n  $known := data.material = '" + UNTRANSLATABLE_MATERIAL
                    + "' ? $error('the MES has no product code for " + UNTRANSLATABLE_MATERIAL + "');\n"
                    + Files.readString(mes) + "\n)\n");
            return mappings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
