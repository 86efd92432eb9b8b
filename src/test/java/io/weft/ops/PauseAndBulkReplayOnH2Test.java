package io.weft.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ConsoleProfiles.H2.class)
class PauseAndBulkReplayOnH2Test extends PauseAndBulkReplay {
}
