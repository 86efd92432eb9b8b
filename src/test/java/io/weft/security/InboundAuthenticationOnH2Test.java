package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link InboundAuthentication} on the embedded H2 store. */
@QuarkusTest
@TestProfile(SecuredPlant.H2.class)
class InboundAuthenticationOnH2Test extends InboundAuthentication {
}
