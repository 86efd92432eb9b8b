package io.weft.cluster;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The cluster service for instances that share PostgreSQL without Kubernetes: each lock (a {@code master:} namespace)
 * is a row of {@code leader_lease}, held for {@code lease} and renewed every {@code renewInterval} by its holder.
 * When the holder dies (even by {@code kill -9}) it stops renewing, and another instance takes the lock once the
 * lease has run out; an orderly stop gives it up at once.
 */
final class DatabaseLeaseClusterService extends AbstractCamelClusterService<LeaseView> {
    private final LeaseTable table;
    private final String instance;
    private final Duration lease;
    private final Duration renewInterval;
    private ScheduledExecutorService timer;

    DatabaseLeaseClusterService(LeaseTable table, String instance, Duration lease, Duration renewInterval) {
        super("weft-database-lease");
        if (renewInterval.multipliedBy(2).compareTo(lease) > 0) {
            throw new IllegalArgumentException("weft.cluster.renew-interval (" + renewInterval
                    + ") must be at most half of weft.cluster.lease (" + lease + ")");
        }
        this.table = table;
        this.instance = instance;
        this.lease = lease;
        this.renewInterval = renewInterval;
    }

    @Override
    protected void doStart() throws Exception {
        // Two threads: a renewal stuck in a slow database call must not keep the watchdog from stepping down.
        timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "weft-leader-lease");
            t.setDaemon(true);
            return t;
        });
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    protected LeaseView createView(String namespace) {
        return new LeaseView(this, namespace, table, instance, lease, renewInterval);
    }

    ScheduledExecutorService timer() {
        return timer;
    }
}
