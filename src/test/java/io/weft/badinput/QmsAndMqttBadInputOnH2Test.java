package io.weft.badinput;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link QmsAndMqttBadInput} with Weft on the embedded H2 store. */
@QuarkusTest
@TestProfile(BadInputSpokes.OnH2.class)
class QmsAndMqttBadInputOnH2Test extends QmsAndMqttBadInput {
}
