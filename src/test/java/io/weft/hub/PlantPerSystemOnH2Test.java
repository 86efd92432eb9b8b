package io.weft.hub;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.security.SecuredPlant;

/** {@link PlantPerSystem} on the embedded H2 store: the CRM at P2 ({@link SecuredPlant#CRM_AT_P2}). */
@QuarkusTest
@TestProfile(SecuredPlant.H2.class)
class PlantPerSystemOnH2Test extends PlantPerSystem {
}
