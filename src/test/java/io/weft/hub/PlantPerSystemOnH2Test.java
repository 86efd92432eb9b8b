package io.weft.hub;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

import java.util.HashMap;
import java.util.Map;

@QuarkusTest
@TestProfile(PlantPerSystemOnH2Test.CrmAtP2.class)
class PlantPerSystemOnH2Test extends PlantPerSystem {
    public static class CrmAtP2 extends TestStores.H2 {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.putAll(CRM_AT_P2);
            return config;
        }
    }
}
