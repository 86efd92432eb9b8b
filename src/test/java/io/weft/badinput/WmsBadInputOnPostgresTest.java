package io.weft.badinput;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

@QuarkusTest
@TestProfile(BadInputStores.Postgres.class)
class WmsBadInputOnPostgresTest extends WmsBadInputSuite {
}
