package io.weft.observe;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ReadinessWithSlowQms} with Weft on PostgreSQL. */
@QuarkusTest
@TestProfile(ReadinessWithSlowQms.OnPostgres.class)
class ReadinessWithSlowQmsOnPostgresTest extends ReadinessWithSlowQms {
}
