package io.weft.badinput;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link QmsAndMqttBadInput} with Weft on PostgreSQL. */
@QuarkusTest
@TestProfile(BadInputSpokes.class)
class QmsAndMqttBadInputOnPostgresTest extends QmsAndMqttBadInput {
}
