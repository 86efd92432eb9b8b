package io.weft.journal;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

import java.util.Map;

@QuarkusTest
@TestProfile(RetentionOnH2Test.Profile.class)
class RetentionOnH2Test extends RetentionContract {
    public static class Profile extends TestStores.H2 {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = super.getConfigOverrides();
            config.putAll(retention());
            return config;
        }
    }
}
