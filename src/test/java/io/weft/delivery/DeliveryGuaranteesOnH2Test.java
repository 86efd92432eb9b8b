package io.weft.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.time.Duration;

/**
 * On the embedded store. The slow destination runs at the defaults' ratio of lease to batch size (60 s / 50),
 * scaled down ten times as on PostgreSQL: what keeps a claim is the heartbeat at a third of the lease, whatever
 * the lease, and the scaled run takes a minute less.
 */
@QuarkusTest
@TestProfile(DeliveryProfiles.H2.class)
class DeliveryGuaranteesOnH2Test extends DeliveryGuarantees {
    @Override
    SlowRun slowRun() {
        // 0.65 s per request > 6 s / 10 (the defaults' 1.3 s > 60 s / 50, scaled); 40 orders.
        return new SlowRun(40, 650, Duration.ofSeconds(6), 10, 10_000);
    }
}
