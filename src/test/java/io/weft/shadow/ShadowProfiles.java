package io.weft.shadow;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.TestFiles;
import io.weft.testing.TestStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Weft on each store with a copy of the plant's mappings that has two candidates: the MES's work order with one
 * field changed ({@code line} becomes {@code "LINE-" & plant}) and a WMS production order mapping that always
 * fails. Each profile has its own copy, since promotion rewrites it.
 */
final class ShadowProfiles {
    static final String MES_CANDIDATE = "mes/candidate/ProductionOrder.out.jsonata";
    static final String WMS_CANDIDATE = "wms/candidate/ProductionOrder.out.jsonata";

    private ShadowProfiles() {
    }

    abstract static class Base implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }

        Map<String, String> common() {
            Map<String, String> config = TestStores.fastDelivery();
            config.put("weft.mappings-dir", mappingsWithCandidates().toString());
            config.put("weft.health.probe-interval", "1h");
            return config;
        }
    }

    public static class H2 extends Base {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = common();
            config.putAll(io.weft.testing.TestStores.h2());
            return config;
        }
    }

    public static class Postgres extends Base {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = common();
            config.putAll(io.weft.testing.TestStores.postgres());
            return config;
        }
    }

    static Path mappingsWithCandidates() {
        try {
            Path mappings = TestFiles.copyTree(Path.of("mappings"), Files.createTempDirectory("weft-shadow-").resolve("m"));
            String live = Files.readString(mappings.resolve("mes/ProductionOrder.out.jsonata"));
            String changed = live.replace("\"line\": data.plant", "\"line\": \"LINE-\" & data.plant");
            if (changed.equals(live)) {
                throw new IllegalStateException("the MES mapping no longer has \"line\": data.plant");
            }
            Files.createDirectories(mappings.resolve("mes/candidate"));
            Files.writeString(mappings.resolve(MES_CANDIDATE), changed);
            Files.createDirectories(mappings.resolve("wms/candidate"));
            Files.writeString(mappings.resolve(WMS_CANDIDATE), "$error('the candidate cannot map ' & data.orderNumber)\n");
            return mappings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
