package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(DeliveryProfiles.H2.class)
class OutcomeClassesOnH2Test extends OutcomeClasses {
}
