package io.weft.hub;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.security.SecuredPlant;

/** {@link PlantPerSystem} on the PostgreSQL store: the CRM at P2 ({@link SecuredPlant#CRM_AT_P2}). */
@QuarkusTest
@TestProfile(SecuredPlant.Postgres.class)
class PlantPerSystemOnPostgresTest extends PlantPerSystem {
}
