package io.weft.observe;

import io.quarkus.runtime.ShutdownEvent;
import io.weft.store.Store;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples each destination's backlog once a minute into {@code backlog_sample} (V11) for the per-system page's
 * chart, and drops samples older than {@code weft.history.backlog-retention} (7 days): at most 10,080 rows per
 * destination. One job for all destinations; samples are keyed by the minute, so instances sharing PostgreSQL
 * that sample the same minute store it once.
 */
@ApplicationScoped
public class BacklogSampler {
    private static final Logger LOG = Logger.getLogger(BacklogSampler.class);

    public record Sample(Instant at, long backlog) {
    }

    @Inject
    Store store;
    @Inject
    KnownSystems systems;
    @Inject
    OutboxStats stats;
    @ConfigProperty(name = "weft.history.backlog-interval", defaultValue = "60s")
    Duration interval;
    @ConfigProperty(name = "weft.history.backlog-retention", defaultValue = "7d")
    Duration retention;

    private ScheduledExecutorService schedule;

    void start(@Observes CamelEvent.CamelContextStartedEvent ignored) {
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-backlog-sampler");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(this::sample, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    void sample() {
        try {
            stats.refresh();
            Instant at = Instant.now().truncatedTo(interval.toSeconds() >= 60 ? ChronoUnit.MINUTES : ChronoUnit.SECONDS);
            store.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO backlog_sample (system_name, at, backlog) "
                        + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM backlog_sample WHERE system_name = ? AND at = ?)")) {
                    for (String destination : systems.destinations()) {
                        ps.setString(1, destination);
                        ps.setTimestamp(2, Timestamp.from(at));
                        ps.setLong(3, stats.of(destination).backlog());
                        ps.setString(4, destination);
                        ps.setTimestamp(5, Timestamp.from(at));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM backlog_sample WHERE at < ?")) {
                    ps.setTimestamp(1, Timestamp.from(at.minus(retention)));
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException e) {
            // A round must never end the schedule (a duplicate minute from another instance, the store away).
            LOG.debugf("backlog not sampled: %s", e.getMessage());
        }
    }

    /** A destination's samples since {@code since}, oldest first, at most {@code limit}. */
    public List<Sample> of(String system, Instant since, int limit) {
        return store.read(c -> {
            List<Sample> samples = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, backlog FROM backlog_sample "
                    + "WHERE system_name = ? AND at >= ? ORDER BY at LIMIT ?")) {
                ps.setString(1, system);
                ps.setTimestamp(2, Timestamp.from(since));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        samples.add(new Sample(rs.getTimestamp(1).toInstant(), rs.getLong(2)));
                    }
                }
            }
            return samples;
        });
    }
}
