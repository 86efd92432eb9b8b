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
@TestProfile(OperatorRolesOnPostgresTest.Profile.class)
class OperatorRolesOnPostgresTest extends OperatorRoles {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = TestStores.fastDelivery();
            config.putAll(io.weft.testing.PostgresDatabase.weftConfig(io.weft.testing.PostgresDatabase.create()));
            config.putAll(TestIdentityProvider.config());
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class));
        }
    }
}
