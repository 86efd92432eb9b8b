package io.weft.hub;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

import java.util.HashMap;
import java.util.Map;

@QuarkusTest
@TestProfile(PlantPerSystemOnPostgresTest.CrmAtP2.class)
class PlantPerSystemOnPostgresTest extends PlantPerSystem {
    public static class CrmAtP2 extends TestStores.Postgres {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.putAll(CRM_AT_P2);
            return config;
        }
    }
}
