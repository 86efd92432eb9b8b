package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.time.Duration;

/** On the embedded store, the slow destination with the default settings: lease 60 s, batch 50, 4 workers. */
@QuarkusTest
@TestProfile(DeliveryProfiles.H2.class)
class DeliveryGuaranteesOnH2Test extends DeliveryGuarantees {
    @Override
    SlowRun slowRun() {
        // 1.3 s per request > 60 s / 50; 55 orders give one worker a full batch of 50 (65 s, longer than the lease).
        return new SlowRun(55, 1300, Duration.ofSeconds(60), 50, 15_000);
    }
}
