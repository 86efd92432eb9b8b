package io.weft.delivery;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery policy: per-system overrides of weft.delivery.*, and exponential backoff with jitter. */
class DeliveryPolicyTest {

    private static final Map<String, String> DEFAULTS = Map.of(
            "weft.delivery.max-attempts", "8",
            "weft.delivery.initial-backoff", "1s",
            "weft.delivery.backoff-multiplier", "2.0",
            "weft.delivery.max-backoff", "10m",
            "weft.delivery.jitter", "0.2",
            "weft.delivery.concurrency", "4",
            "weft.delivery.batch-size", "50",
            "weft.delivery.lease", "60s",
            "weft.delivery.poll-interval", "500ms");

    private static SmallRyeConfig config(Map<String, String> overrides) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(DEFAULTS, "defaults", 100))
                .withSources(new PropertiesConfigSource(overrides, "plant", 200))
                .withConverter(Duration.class, 100, new DurationConverter())
                .build();
    }

    @Test
    void aSystemOverridesOnlyTheKeysItNames() {
        var config = config(Map.of("weft.systems.qms.delivery.max-attempts", "3",
                "weft.systems.qms.delivery.concurrency", "1"));
        DeliveryPolicy qms = DeliveryPolicy.forDestination(config, "qms");
        DeliveryPolicy mes = DeliveryPolicy.forDestination(config, "mes");
        assertEquals(3, qms.maxAttempts());
        assertEquals(1, qms.concurrency());
        assertEquals(Duration.ofSeconds(1), qms.initialBackoff());
        assertEquals(8, mes.maxAttempts());
        assertEquals(4, mes.concurrency());
        assertEquals(Duration.ofMillis(500), mes.pollInterval());
    }

    @Test
    void backoffDoublesWithinItsJitterAndStopsAtTheCap() {
        DeliveryPolicy policy = DeliveryPolicy.forDestination(config(Map.of()), "mes");
        for (int attempt = 1; attempt <= 12; attempt++) {
            double expected = Math.min(1000 * Math.pow(2, attempt - 1), 600_000);
            for (int sample = 0; sample < 50; sample++) {
                long millis = policy.backoffAfter(attempt).toMillis();
                assertTrue(millis >= expected * 0.8 - 1 && millis <= expected * 1.2 + 1,
                        "attempt " + attempt + ": " + millis + " ms not within 20% of " + expected);
            }
        }
    }

    @Test
    void withoutJitterTheScheduleIsExact() {
        DeliveryPolicy policy = DeliveryPolicy.forDestination(config(Map.of("weft.delivery.jitter", "0")), "mes");
        assertEquals(Duration.ofSeconds(1), policy.backoffAfter(1));
        assertEquals(Duration.ofSeconds(4), policy.backoffAfter(3));
        assertEquals(Duration.ofMinutes(10), policy.backoffAfter(20));
    }
}
