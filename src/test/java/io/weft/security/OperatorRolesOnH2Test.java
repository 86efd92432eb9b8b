package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link OperatorRoles} on the embedded H2 store. */
@QuarkusTest
@TestProfile(SecuredPlant.H2.class)
class OperatorRolesOnH2Test extends OperatorRoles {
}
