package io.weft.hub;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

@QuarkusTest
@TestProfile(TestStores.H2.class)
class ErpFlowOnH2Test extends ErpToMesAndWmsFlow {
}
