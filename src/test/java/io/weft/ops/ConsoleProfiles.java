package io.weft.ops;

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
 * Weft for the console's operations API tests, on each store: the plant's routes plus one system that exists
 * only as a route file ({@link #ADDED_SYSTEM}, a laboratory system publishing inspections), fast retries, and a
 * backlog sample every second.
 */
final class ConsoleProfiles {
    static final String ADDED_SYSTEM = "lims";

    private ConsoleProfiles() {
    }

    abstract static class Base implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }

        Map<String, String> common() {
            Map<String, String> config = TestStores.fastDelivery();
            config.put("weft.routes-dir", routesWithAnAddedSystem().toString());
            config.put("weft.history.backlog-interval", "1s");
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

    /** A copy of the plant's routes with routes/systems/lims.camel.yaml added: no other file knows the LIMS. */
    static Path routesWithAnAddedSystem() {
        try {
            Path routes = TestFiles.copyTree(Path.of("routes"), Files.createTempDirectory("weft-routes-").resolve("r"));
            Files.writeString(routes.resolve("systems/" + ADDED_SYSTEM + ".camel.yaml"), """
                    # A laboratory system added to the plant by this file alone: it publishes inspection results.
                    - route:
                        id: lims-in-results
                        routeConfigurationId: weft-inbound
                        from:
                          uri: direct:lims-in-results
                          steps:
                            - setHeader:
                                name: WeftType
                                constant: QualityInspection
                            - to: bean:hub?method=publish
                    """);
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
