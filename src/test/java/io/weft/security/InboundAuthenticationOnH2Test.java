package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.TestStores;

import java.util.List;
import java.util.Map;
import java.util.UUID;

@QuarkusTest
@TestProfile(InboundAuthenticationOnH2Test.Profile.class)
class InboundAuthenticationOnH2Test extends InboundAuthentication {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.put("weft.data-dir", "./target/h2-" + UUID.randomUUID());
            config.putAll(securityConfig());
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }
}
