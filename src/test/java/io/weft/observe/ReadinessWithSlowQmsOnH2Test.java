package io.weft.observe;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ReadinessWithSlowQms} with Weft on the embedded H2 store. */
@QuarkusTest
@TestProfile(ReadinessWithSlowQms.OnH2.class)
class ReadinessWithSlowQmsOnH2Test extends ReadinessWithSlowQms {
}
