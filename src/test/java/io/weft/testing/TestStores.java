package io.weft.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test profiles: Weft on a fresh PostgreSQL database or a fresh embedded H2 file, with fast retries. */
public final class TestStores {
    private TestStores() {
    }

    /** Retries within a second or so, and short HTTP timeouts, so that tests see retries and DEAD quickly. */
    public static Map<String, String> fastDelivery() {
        Map<String, String> config = new HashMap<>();
        config.put("weft.delivery.initial-backoff", "200ms");
        config.put("weft.delivery.max-backoff", "1s");
        config.put("weft.delivery.max-attempts", "4");
        config.put("weft.delivery.poll-interval", "100ms");
        config.put("weft.delivery.lease", "20s");
        config.put("camel.component.http.response-timeout", "3000");
        config.put("camel.component.http.so-timeout", "3000");
        return config;
    }

    /** The settings that put Weft on a fresh embedded H2 file. */
    public static Map<String, String> h2() {
        return Map.of("weft.data-dir", "./target/h2-" + UUID.randomUUID());
    }

    /** The settings that put Weft on a fresh PostgreSQL database. */
    public static Map<String, String> postgres() {
        return PostgresDatabase.weftConfig(PostgresDatabase.create());
    }

    /** Fast delivery and the plant's HTTP destinations; subclasses choose the store. */
    abstract static class WithDestinations implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }

    public static class Postgres extends WithDestinations {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = fastDelivery();
            config.putAll(postgres());
            return config;
        }
    }

    public static class H2 extends WithDestinations {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = fastDelivery();
            config.putAll(h2());
            return config;
        }
    }

    /** PostgreSQL, with the WMS's drop folders on a real SFTP server ({@link SftpServer}). */
    public static class PostgresWithSftpWms extends Postgres {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class, Map.of("wms", "none")),
                    new TestResourceEntry(SftpServer.class));
        }
    }
}
