package io.weft.delivery;

import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How one destination is delivered to: attempts, backoff, concurrency. Each key is read from
 * {@code weft.systems.<system>.delivery.<key>} and falls back to {@code weft.delivery.<key>}.
 */
public record DeliveryPolicy(int maxAttempts, Duration initialBackoff, double backoffMultiplier,
                             Duration maxBackoff, double jitter, int concurrency, int batchSize, Duration lease,
                             Duration pollInterval) {

    public static DeliveryPolicy forDestination(Config config, String system) {
        return new DeliveryPolicy(
                value(config, system, "max-attempts", Integer.class),
                value(config, system, "initial-backoff", Duration.class),
                value(config, system, "backoff-multiplier", Double.class),
                value(config, system, "max-backoff", Duration.class),
                value(config, system, "jitter", Double.class),
                value(config, system, "concurrency", Integer.class),
                value(config, system, "batch-size", Integer.class),
                value(config, system, "lease", Duration.class),
                value(config, system, "poll-interval", Duration.class));
    }

    private static <T> T value(Config config, String system, String key, Class<T> type) {
        return config.getOptionalValue("weft.systems." + system + ".delivery." + key, type)
                .orElseGet(() -> config.getValue("weft.delivery." + key, type));
    }

    /** Exponential backoff after the {@code attempt}-th failed attempt (1-based), capped, with +/- jitter. */
    public Duration backoffAfter(int attempt) {
        double base = initialBackoff.toMillis() * Math.pow(backoffMultiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, maxBackoff.toMillis());
        double spread = capped * jitter;
        double jittered = capped + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
        return Duration.ofMillis(Math.max(0, Math.round(jittered)));
    }
}
