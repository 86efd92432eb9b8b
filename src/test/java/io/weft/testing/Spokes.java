package io.weft.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Weft on PostgreSQL with the QMS spoke polling a fresh database on a MariaDB of the tests' own and the IoT spoke
 * subscribed to a Mosquitto of their own ({@link PrivateMariaDb}, {@link PrivateMosquitto}: the tests stop and
 * start them, never the machine's shared ones), the MES as a real HTTP server. Topics are under a prefix of this
 * run, and the share group and client id are this run's.
 */
public class Spokes implements QuarkusTestProfile {
    public static final String RUN = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    public static final String TOPIC_PREFIX = RUN + "/plant";
    private static volatile String qmsUrl;
    private static volatile PrivateMariaDb mariaDb;
    private static volatile PrivateMosquitto mosquitto;

    public static String qmsUrl() {
        return qmsUrl;
    }

    /** The QMS's MariaDB server, the tests' own. */
    public static PrivateMariaDb mariaDb() {
        return mariaDb;
    }

    /** The sensors' broker, the tests' own. */
    public static PrivateMosquitto mosquitto() {
        return mosquitto;
    }

    /** Starts the private MariaDB and Mosquitto before Weft, and stops them after it (also after a failure). */
    public static class PrivateServers implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            mariaDb = new PrivateMariaDb();
            mosquitto = new PrivateMosquitto();
            mariaDb.start();
            mosquitto.start();
            qmsUrl = QmsDatabase.create(mariaDb.serverUrl());
            Map<String, String> config = new java.util.HashMap<>(QmsDatabase.weftConfig(qmsUrl));
            config.put("weft.systems.iot.broker-url", mosquitto.url());
            return config;
        }

        @Override
        public void stop() {
            try {
                mosquitto.close();
            } finally {
                mariaDb.close();
            }
        }
    }

    /** The topic a machine publishes its telemetry on, under this run's prefix. */
    public static String topic(String line, String machine) {
        return TOPIC_PREFIX + "/" + line + "/" + machine + "/telemetry";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = TestStores.fastDelivery();
        config.putAll(io.weft.testing.TestStores.postgres());
        config.put("weft.systems.qms.inbound.enabled", "true");
        config.put("weft.systems.qms.poll-interval", "300");
        config.put("weft.systems.iot.inbound.enabled", "true");
        config.put("weft.systems.iot.topic", TOPIC_PREFIX + "/+/+/telemetry");
        config.put("weft.systems.iot.share-group", "weft-" + RUN);
        config.put("weft.systems.iot.client-id", "weft-" + RUN);
        // Long enough for a broker restart; short, so a run leaves no session behind on the shared broker.
        config.put("weft.systems.iot.session-expiry", "120");
        config.put("weft.systems.iot.limits.press-7.temperature", "90");
        config.put("weft.health.probe-interval", "1s");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Destinations.class), new TestResourceEntry(PrivateServers.class));
    }
}
