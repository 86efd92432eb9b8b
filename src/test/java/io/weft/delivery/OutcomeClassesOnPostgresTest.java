package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(DeliveryProfiles.Postgres.class)
class OutcomeClassesOnPostgresTest extends OutcomeClasses {
}
