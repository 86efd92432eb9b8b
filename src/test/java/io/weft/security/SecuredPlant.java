package io.weft.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.TestStores;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test plant with per-system security settings ({@link InboundAuthentication#securityConfig()}: the ERP during a
 * key rotation, the MES on tokens, the CRM rate- and size-limited, the supplier's publish rights, the WMS without
 * keys) and the CRM at plant P2 ({@code PlantPerSystem}), on each store. The inbound-authentication, operator-role
 * and plant-per-system suites share it, so one application starts for the three of them instead of three.
 */
public final class SecuredPlant {
    /** The CRM is plant P2's; every other system is the hub's plant P1. */
    public static final Map<String, String> CRM_AT_P2 = Map.of("weft.systems.crm.plant", "P2");

    private SecuredPlant() {
    }

    abstract static class Base implements QuarkusTestProfile {
        abstract Map<String, String> store();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(TestStores.fastDelivery());
            config.putAll(store());
            config.putAll(InboundAuthentication.securityConfig());
            config.putAll(CRM_AT_P2);
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }

    public static class H2 extends Base {
        @Override
        Map<String, String> store() {
            return TestStores.h2();
        }
    }

    public static class Postgres extends Base {
        @Override
        Map<String, String> store() {
            return TestStores.postgres();
        }
    }
}
