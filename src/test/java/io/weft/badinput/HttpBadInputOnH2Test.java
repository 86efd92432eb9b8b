package io.weft.badinput;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.TestStores;

@QuarkusTest
@TestProfile(BadInputStores.H2.class)
class HttpBadInputOnH2Test extends HttpBadInputSuite {
}
