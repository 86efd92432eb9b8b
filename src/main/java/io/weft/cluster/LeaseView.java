package io.weft.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One lock of {@link DatabaseLeaseClusterService}: tries to take or renew its row every renew interval and tells
 * the {@code master:} consumer when this instance becomes or stops being the leader.
 *
 * <p>Stepping down is decided on this instance's monotonic clock: a lease renewed by a statement sent at time t runs
 * out in the database no earlier than t + lease, so the leader stops its poller one renew interval before that
 * when it could not renew (database unreachable, statement stuck), before anybody else can take the lock.
 */
final class LeaseView extends AbstractCamelClusterView {
    private static final Logger LOG = Logger.getLogger(LeaseView.class);

    private final LeaseTable table;
    private final String instance;
    private final Duration lease;
    private final Duration renewInterval;
    private final Member self;
    private final Member selfLeading;
    private boolean leading;
    private long leadingUntilNanos;
    private String leaderId;
    private ScheduledFuture<?> renewal;
    private ScheduledFuture<?> watchdog;
    // Orders each change of leadership with the event telling the master: consumer of it (two timer threads).
    private final Object transitions = new Object();
    // Held by a renewal round and by stop, so a round still in flight cannot take the lock back after stop gave it up.
    private final Object rounds = new Object();
    private boolean stopped;

    LeaseView(DatabaseLeaseClusterService service, String lock, LeaseTable table, String instance, Duration lease,
              Duration renewInterval) {
        super(service, lock);
        this.table = table;
        this.instance = instance;
        this.lease = lease;
        this.renewInterval = renewInterval;
        this.self = new Member(instance, false, true);
        this.selfLeading = new Member(instance, true, true);
    }

    @Override
    public synchronized Optional<CamelClusterMember> getLeader() {
        if (leading) {
            return Optional.of(selfLeading);
        }
        return Optional.ofNullable(leaderId).map(id -> new Member(id, true, false));
    }

    @Override
    public synchronized CamelClusterMember getLocalMember() {
        return leading ? selfLeading : self;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        // Only the leader is known (the table holds no membership); enough for the master: component.
        return getLeader().map(List::of).orElse(List.of());
    }

    @Override
    protected void doStart() {
        synchronized (rounds) {
            stopped = false;
        }
        DatabaseLeaseClusterService service = (DatabaseLeaseClusterService) getClusterService();
        renewal = service.timer().scheduleWithFixedDelay(this::renew, 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
        watchdog = service.timer().scheduleWithFixedDelay(this::checkLeaseTime, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        cancel(renewal);
        cancel(watchdog);
        boolean wasLeading;
        synchronized (rounds) {
            stopped = true;
            synchronized (this) {
                wasLeading = leading;
                leading = false;
            }
        }
        if (wasLeading) {
            LOG.infof("leader lock %s: given up by %s (stopping)", getNamespace(), instance);
            try {
                table.release(getNamespace(), instance);
            } catch (RuntimeException e) {
                LOG.warnf("leader lock %s: could not give it up (%s); it runs out after %s", getNamespace(), e.getMessage(), lease);
            }
        }
    }

    /** Takes or renews the lock; never throws, so one failed round does not end the renewals. */
    private void renew() {
        synchronized (rounds) {
            if (stopped) {
                return;
            }
            long sentAt = System.nanoTime();
            try {
                if (table.acquire(getNamespace(), instance, lease)) {
                    lead(sentAt + lease.minus(renewInterval).toNanos());
                } else {
                    follow(table.holder(getNamespace()).orElse(null));
                }
            } catch (Throwable e) {
                // The lease is left to run out (see checkLeaseTime); the next round tries again.
                LOG.warnf("leader lock %s: cannot reach the lease table: %s", getNamespace(), e.getMessage());
            }
        }
    }

    private void lead(long untilNanos) {
        synchronized (transitions) {
            boolean changed;
            synchronized (this) {
                leadingUntilNanos = untilNanos;
                changed = !leading;
                leading = true;
                leaderId = instance;
            }
            if (changed) {
                LOG.infof("leader lock %s: taken by %s (lease %s)", getNamespace(), instance, lease);
                fireLeadershipChangedEvent(selfLeading);
            }
        }
    }

    private void follow(String holder) {
        synchronized (transitions) {
            boolean changed;
            synchronized (this) {
                changed = leading;
                leading = false;
                leaderId = holder;
            }
            if (changed) {
                LOG.warnf("leader lock %s: lost by %s, now held by %s", getNamespace(), instance, holder);
                fireLeadershipChangedEvent(holder == null ? null : new Member(holder, true, false));
            }
        }
    }

    private void checkLeaseTime() {
        synchronized (transitions) {
            boolean expired;
            synchronized (this) {
                expired = leading && System.nanoTime() - leadingUntilNanos >= 0;
                if (expired) {
                    leading = false;
                    leaderId = null;
                }
            }
            if (expired) {
                LOG.warnf("leader lock %s: %s could not renew its lease in time and stops its poller",
                        getNamespace(), instance);
                fireLeadershipChangedEvent((CamelClusterMember) null);
            }
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
