package io.weft.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link InboundAuthentication} on the PostgreSQL store. */
@QuarkusTest
@TestProfile(SecuredPlant.Postgres.class)
class InboundAuthenticationOnPostgresTest extends InboundAuthentication {
}
