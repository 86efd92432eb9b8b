package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.time.Duration;

/** On PostgreSQL, the slow destination scaled ten times down at the defaults' ratio: lease 6 s, batch 10. */
@QuarkusTest
@TestProfile(DeliveryProfiles.Postgres.class)
class DeliveryGuaranteesOnPostgresTest extends DeliveryGuarantees {
    @Override
    SlowRun slowRun() {
        // 0.65 s per request > 6 s / 10 (the defaults' 1.3 s > 60 s / 50, scaled); 40 orders.
        return new SlowRun(40, 650, Duration.ofSeconds(6), 10, 10_000);
    }
}
