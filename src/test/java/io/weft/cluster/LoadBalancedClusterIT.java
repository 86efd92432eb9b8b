package io.weft.cluster;

import io.weft.testing.OrderLoad;
import io.weft.testing.Settle;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three packaged instances on one PostgreSQL behind nginx under a steady ERP order load, as a plant scales Weft out
 * ({@link LoadBalancedCluster}). Scenario {@code kill}: one instance is killed with -9; only the requests in flight
 * on it fail, the load loop retries them with the same order number, every order answered 202 is journaled once and
 * delivered to the MES and the WMS once, and the survivors deliver what the dead instance had claimed once its lease
 * ran out. Scenario {@code rolling}: all three are stopped and started again one after another under the load;
 * nothing is lost and nothing is delivered twice. PostgreSQL only: the embedded store is one instance's file.
 * Each scenario writes its figures to {@code bench/results/cluster-<scenario>.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancedClusterIT {
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration READY = Duration.ofSeconds(120);
    private static final int SENDERS = 4;
    private static final double RATE = 30;
    private static final Map<String, String> SETTINGS = Map.of(
            "weft.delivery.lease", LEASE.toSeconds() + "s",
            "weft.delivery.batch-size", "10",
            "weft.delivery.poll-interval", "200ms",
            "weft.delivery.initial-backoff", "300ms",
            "weft.delivery.max-backoff", "2s",
            "weft.delivery.max-attempts", "50");

    @RegisterExtension
    static final WeftProcess.Processes WEFT = WeftProcess.Processes.perClass();
    private static LoadBalancedCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LoadBalancedCluster(WEFT, SETTINGS);
        // Each delivery takes a while at the sinks, so that an instance holds claims when it is killed.
        cluster.mes.latency(100);
        cluster.wms.latency(100);
        cluster.start(READY);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void killDashNineOfOneInstanceFailsOnlyItsRequestsInFlightAndLosesNothing() throws Exception {
        ClusterReport report = report("kill", "kill -9 of one instance under load");
        OrderLoad load = OrderLoad.start(cluster.url(), SENDERS, RATE);
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acceptedCount() >= 60);
        // The victim: an instance that holds due deliveries right now (claimed, being sent).
        String victim = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(LoadBalancedClusterIT::busiestInstance, v -> v != null);
        long killedAt = System.nanoTime();
        cluster.kill(victim);
        Set<String> claimed = cluster.claimedBy(victim);
        report.event("kill -9 " + victim + " (" + load.acceptedCount() + " orders accepted so far); it held "
                + claimed.size() + " claimed deliveries");
        await().atMost(LEASE.plusSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.claimedBy(victim).isEmpty());
        double failover = (System.nanoTime() - killedAt) / 1e9;
        report.event(String.format("the survivors hold every delivery %s had claimed: %.1f s after the kill", victim, failover));
        int atTakeover = load.acceptedCount();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acceptedCount() >= atTakeover + 60);
        load.stop();
        report.event("load stopped");
        cluster.relaunch(victim); // for the next scenario; it starts while this one's deliveries drain

        List<OrderLoad.Attempt> failed = load.attempts().stream().filter(a -> !a.accepted()).toList();
        Set<String> accepted = new HashSet<>(load.accepted().values());
        Settle.awaitAndHold(Duration.ofSeconds(120), () -> {
            assertEquals(Map.of(), SinkReceipts.notOnce(cluster.mes, accepted, claimed, "mes"), "MES receipts other than once");
            assertEquals(Map.of(), SinkReceipts.notOnce(cluster.wms, accepted, claimed, "wms"), "WMS receipts other than once");
        });
        report.event("every accepted order at both sinks");
        account(report, load, accepted);
        report.figure("requests failed (status: count)", byStatus(failed))
                .figure("deliveries the killed instance had claimed (taken over after its lease)", claimed.size())
                .figure("of those delivered by a survivor", cluster.deliveredByOthers(claimed, victim).size())
                .figure("re-sent by a survivor after the killed instance had sent them (same Idempotency-Key)",
                        SinkReceipts.resent(cluster.mes, claimed, "mes") + SinkReceipts.resent(cluster.wms, claimed, "wms"))
                .figure("failover time (kill until the survivors held every claimed delivery)", String.format("%.1f s", failover));
        System.out.println("LoadBalancedClusterIT: results in " + report.write());

        assertEquals(List.of(), load.givenUp(), "every order accepted in the end");
        assertTrue(failed.size() <= SENDERS, "at most the requests in flight failed: " + failed);
        for (OrderLoad.Attempt a : failed) {
            assertTrue(a.sentAt() < killedAt + 500_000_000L && a.answeredAt() >= killedAt,
                    String.format("a failed request was in flight at the kill: sent %d ms and answered %d ms after it: %s "
                            + "\nnginx's error log, ports %s:\n%s", (a.sentAt() - killedAt) / 1_000_000,
                            (a.answeredAt() - killedAt) / 1_000_000, a, cluster.ports(), cluster.nginxErrors()));
        }
        assertEquals(accepted, cluster.journaled(), "the journal holds exactly the accepted orders");
        assertFalse(claimed.isEmpty(), "the killed instance held claims");
        assertEquals(claimed, cluster.deliveredByOthers(claimed, victim), "the survivors delivered its claims");
        assertTrue(failover <= LEASE.toSeconds() + 15, "taken over within the lease (and this machine's slack): " + failover);
        assertEquals(0, cluster.sentTwice(), "no delivery with two successful attempts");
    }

    @Test
    @Order(2)
    void aRollingRestartOfAllThreeUnderLoadLosesNothingAndSendsNothingTwice() throws Exception {
        ClusterReport report = report("rolling", "rolling restart of all 3 instances under load");
        for (String name : LoadBalancedCluster.NAMES) {
            if (!cluster.instance(name).isAlive()) {
                cluster.relaunch(name); // the first scenario failed before it started its victim again
            }
            cluster.instance(name).awaitReady(READY);
        }
        OrderLoad load = OrderLoad.start(cluster.url(), SENDERS, RATE);
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acceptedCount() >= 60);
        List<long[]> windows = new java.util.ArrayList<>();
        for (String name : LoadBalancedCluster.NAMES) {
            long from = System.nanoTime();
            cluster.stop(name);
            double stopped = (System.nanoTime() - from) / 1e9;
            cluster.restart(name, READY);
            windows.add(new long[] {from, System.nanoTime()});
            report.event(String.format("%s stopped (SIGTERM) in %.1f s, ready again %.1f s after the stop began",
                    name, stopped, (System.nanoTime() - from) / 1e9));
            int before = load.acceptedCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.acceptedCount() >= before + 30);
        }
        load.stop();
        report.event("load stopped");

        List<OrderLoad.Attempt> failed = load.attempts().stream().filter(a -> !a.accepted()).toList();
        Set<String> accepted = new HashSet<>(load.accepted().values());
        Settle.awaitAndHold(Duration.ofSeconds(120), () -> {
            assertEquals(Map.of(), SinkReceipts.notOnce(cluster.mes, accepted, Set.of(), "mes"), "MES receipts other than once");
            assertEquals(Map.of(), SinkReceipts.notOnce(cluster.wms, accepted, Set.of(), "wms"), "WMS receipts other than once");
        });
        report.event("every accepted order at both sinks");
        account(report, load, accepted);
        report.figure("requests failed (status: count), all during a restart", byStatus(failed));
        System.out.println("LoadBalancedClusterIT: results in " + report.write());

        assertEquals(List.of(), load.givenUp(), "every order accepted in the end");
        for (OrderLoad.Attempt a : failed) {
            assertTrue(windows.stream().anyMatch(w -> a.sentAt() >= w[0] - 1_000_000_000L && a.sentAt() <= w[1]),
                    "a failed request was sent while an instance restarted: " + a);
        }
        assertEquals(0, cluster.sentTwice(), "no delivery with two successful attempts");
        assertTrue(cluster.journaled().containsAll(accepted), "every accepted order journaled");
    }

    private static ClusterReport report(String scenario, String title) {
        ClusterReport report = new ClusterReport(scenario, title);
        report.setting("load", SENDERS + " senders, " + RATE + " orders/s together, a failed request retried after 200 ms "
                + "with the same order number");
        SETTINGS.forEach(report::setting);
        return report.setting("sinks", "MES and WMS: JDK HTTP servers answering after 100 ms");
    }

    /** The figures both scenarios report. */
    private static void account(ClusterReport report, OrderLoad load, Set<String> accepted) throws Exception {
        List<OrderLoad.Attempt> all = load.attempts();
        Set<String> journaled = cluster.journaled();
        journaled.retainAll(accepted);
        Map<String, Long> mes = SinkReceipts.receipts(cluster.mes, accepted);
        Map<String, Long> wms = SinkReceipts.receipts(cluster.wms, accepted);
        long lost = accepted.stream().filter(id -> !mes.containsKey(id) || !wms.containsKey(id)).count();
        report.figure("requests sent", all.size())
                .figure("acknowledged (orders answered 202)", accepted.size())
                .figure("retries answered by dedupe with the first id", all.stream().filter(OrderLoad.Attempt::duplicate).count())
                .figure("journaled (of the acknowledged)", journaled.size())
                .figure("delivered to the MES / the WMS (distinct)", mes.size() + " / " + wms.size())
                .figure("duplicates at the MES / the WMS (receipts beyond the first)", SinkReceipts.extra(mes) + " / " + SinkReceipts.extra(wms))
                .figure("lost (acknowledged, not at both sinks)", lost)
                .figure("deliveries with two successful attempts in the journal", cluster.sentTwice())
                .figure("attempts by instance (whole run)", cluster.attemptsByInstance());
    }

    /** The instance holding the most due deliveries right now, if it holds at least two. */
    private static String busiestInstance() throws Exception {
        String busiest = null;
        int most = 1;
        for (String name : LoadBalancedCluster.NAMES) {
            int held = cluster.claimedBy(name).size();
            if (held > most) {
                busiest = name;
                most = held;
            }
        }
        return busiest;
    }

    private static String byStatus(List<OrderLoad.Attempt> failed) {
        Map<Integer, Long> counts = new TreeMap<>(failed.stream()
                .collect(Collectors.groupingBy(OrderLoad.Attempt::status, Collectors.counting())));
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.toString() + (counts.containsKey(-1) ? " (-1: connection broken)" : "");
    }
}
