package io.weft.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Journal retention: with {@code weft.journal.retention} set (an ISO-8601 duration such as {@code P30D}, or
 * {@code 30d}, {@code 12h}), every {@code weft.journal.retention-interval} the journal entries older than that are
 * purged ({@link JournalPurge}) in batches of {@code weft.journal.retention-batch} messages, one transaction each,
 * so that a purge never holds locks or a transaction long enough to slow the publications. Unset (the default):
 * everything is kept.
 */
@ApplicationScoped
public class JournalRetention {
    private static final Logger LOG = Logger.getLogger(JournalRetention.class);
    /** Batches per round at most: a round ends, and the next continues, even if the journal keeps growing. */
    private static final int MAX_BATCHES_PER_ROUND = 1000;

    @Inject
    JournalPurge purge;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "weft.journal.retention")
    Optional<Duration> retention;
    @ConfigProperty(name = "weft.journal.retention-batch", defaultValue = "500")
    int batch;
    @ConfigProperty(name = "weft.journal.retention-interval", defaultValue = "10m")
    Duration interval;

    private ScheduledExecutorService schedule;

    void start(@Observes StartupEvent ignored) {
        if (retention.isEmpty()) {
            return;
        }
        if (retention.get().isNegative() || retention.get().isZero() || batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("weft.journal.retention must be positive and weft.journal.retention-batch"
                    + " between 1 and 10000, got " + retention.get() + " and " + batch);
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-journal-retention");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("journal retention: entries older than %s are purged every %s", retention.get(), interval);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    /** One round: purges in batches until a batch comes back short. */
    void round() {
        try {
            Instant cutoff = Instant.now().minus(retention.get());
            long messages = drain(() -> purge.messages(cutoff, batch));
            long rejections = drain(() -> purge.rejections(cutoff, batch));
            count("messages", messages);
            count("rejections", rejections);
            if (messages + rejections > 0) {
                LOG.infof("journal retention: purged %d messages and %d inbound rejections older than %s",
                        messages, rejections, cutoff);
            }
        } catch (RuntimeException e) {
            // The store is away or busy: the next round tries again.
            LOG.warnf("journal retention round failed: %s", e.getMessage());
        }
    }

    private long drain(java.util.function.IntSupplier oneBatch) {
        long total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_ROUND && !Thread.currentThread().isInterrupted(); i++) {
            int n = oneBatch.getAsInt();
            total += n;
            if (n < batch) {
                break;
            }
        }
        return total;
    }

    private void count(String what, long n) {
        Counter.builder("weft.journal.purged").description("Journal entries deleted by retention")
                .tag("what", what).register(registry).increment(n);
    }
}
