package io.weft.shadow;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ShadowProfiles.Postgres.class)
class ShadowRunsOnPostgresTest extends ShadowRunsContract {
}
