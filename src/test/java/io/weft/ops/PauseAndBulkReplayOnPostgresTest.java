package io.weft.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ConsoleProfiles.Postgres.class)
class PauseAndBulkReplayOnPostgresTest extends PauseAndBulkReplay {
}
