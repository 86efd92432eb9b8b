package io.weft.shadow;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ShadowProfiles.H2.class)
class ShadowRunsOnH2Test extends ShadowRunsContract {
}
