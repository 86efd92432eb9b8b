package io.weft.hub;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

@QuarkusTest
@TestProfile(TestStores.Postgres.class)
class ErpFlowOnPostgresTest extends ErpToMesAndWmsFlow {
}
