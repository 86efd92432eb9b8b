package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.TestIdentityProvider;
import io.weft.testing.TestStores;

import java.util.List;
import java.util.Map;

@QuarkusTest
@TestProfile(OperatorRolesOnH2Test.Profile.class)
class OperatorRolesOnH2Test extends OperatorRoles {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.put("weft.data-dir", "./target/h2-" + java.util.UUID.randomUUID());
            config.putAll(TestIdentityProvider.config());
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }
}
