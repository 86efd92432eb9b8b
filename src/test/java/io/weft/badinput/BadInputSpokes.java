package io.weft.badinput;

import io.weft.testing.Spokes;

import java.util.Map;
import java.util.UUID;

/**
 * {@link Spokes} (PostgreSQL, the QMS on a fresh database of the tests' own MariaDB, the IoT spoke on their own Mosquitto) with
 * this suite's own MQTT client id, share group and topic prefix, so that it shares no session or topic with
 * the spoke tests that use {@link Spokes} itself. {@link OnH2}: the same on the embedded H2 store.
 */
public class BadInputSpokes extends Spokes {
    public static final String PREFIX = "bi" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "/plant";

    public static String topic(String line, String machine) {
        return PREFIX + "/" + line + "/" + machine + "/telemetry";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
        String run = PREFIX.substring(0, 12);
        config.put("weft.systems.iot.topic", PREFIX + "/+/+/telemetry");
        config.put("weft.systems.iot.share-group", "weft-" + run);
        config.put("weft.systems.iot.client-id", "weft-" + run);
        return config;
    }

    /** The same spokes and topics, Weft on a fresh embedded H2 file instead of PostgreSQL. */
    public static class OnH2 extends BadInputSpokes {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.keySet().removeIf(key -> key.startsWith("quarkus.datasource."));
            config.putAll(io.weft.testing.TestStores.h2());
            return config;
        }
    }
}
