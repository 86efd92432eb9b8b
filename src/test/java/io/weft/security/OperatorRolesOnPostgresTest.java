package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link OperatorRoles} on the PostgreSQL store. */
@QuarkusTest
@TestProfile(SecuredPlant.Postgres.class)
class OperatorRolesOnPostgresTest extends OperatorRoles {
}
