package io.weft.cluster;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes cluster service as {@link LeaderElection} configures it (weft.cluster.service=kubernetes), against
 * fabric8's Kubernetes API server stand-in in CRUD mode (no cluster runs here): two pods of one deployment, one holds
 * the Lease {@code <lease-name>-<lock>}, and when that pod is gone the other takes the lock over within the lease.
 * What it cannot show: a real API server's Lease semantics under contention; the PostgreSQL lease service is the one
 * proven with kill -9 (PollerLeadershipIT).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeaseLeadershipTest {
    private static final String NAMESPACE = "weft-plant-a";
    static KubernetesMockServer server;
    static KubernetesClient client;

    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
        System.clearProperty("kubernetes.master");
        System.clearProperty("kubernetes.namespace");
        System.clearProperty("kubernetes.auth.tryKubeConfig");
        System.clearProperty("kubernetes.auth.tryServiceAccount");
        System.clearProperty("kubernetes.trust.certificates");
    }

    @Test
    void onePodHoldsTheLeaseAndTheOtherTakesItOverWhenThatPodIsGone() throws Exception {
        // Where an in-cluster client would find the API server; fabric8 reads these when no master URL is set.
        System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
        System.setProperty("kubernetes.namespace", NAMESPACE);
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.trust.certificates", "true");
        for (String pod : List.of("weft-a", "weft-b")) {
            client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withNamespace(NAMESPACE).addToLabels("app.kubernetes.io/name", "weft").endMetadata()
                    .withNewSpec().addNewContainer().withName("weft").withImage("weft:test").endContainer().endSpec()
                    // Only running, ready pods count as members.
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                    .endCondition().addNewContainerStatus().withName("weft").withReady(true).withNewState()
                    .withNewRunning().endRunning().endState().endContainerStatus().endStatus()
                    .build()).create();
        }
        CamelClusterView a = view("weft-a");
        CamelClusterView b = view("weft-b");

        await().atMost(Duration.ofSeconds(45)).until(() -> a.getLocalMember().isLeader() || b.getLocalMember().isLeader());
        Thread.sleep(3000);
        assertTrue(a.getLocalMember().isLeader() ^ b.getLocalMember().isLeader(), "exactly one leads");
        CamelClusterView leader = a.getLocalMember().isLeader() ? a : b;
        CamelClusterView other = leader == a ? b : a;
        String leaderPod = leader.getLocalMember().getId();
        Lease lease = client.leases().inNamespace(NAMESPACE).withName("weft-plant-a-leader-qms-inspections").get();
        assertEquals(leaderPod, lease.getSpec().getHolderIdentity(), "the Lease names the leading pod");

        // The leading pod dies: its container stops renewing and the pod goes away.
        leader.getCamelContext().stop();
        client.pods().inNamespace(NAMESPACE).withName(leaderPod).delete();
        long goneAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> other.getLocalMember().isLeader());
        Duration takeover = Duration.ofNanos(System.nanoTime() - goneAt);
        // Camel's controller makes a new leader effective one lease after it took the Lease (so the old pod can stop):
        // lease 10 s, retry 2 s, and some slack for the shared machine.
        assertTrue(takeover.compareTo(Duration.ofSeconds(10 + 2 + 5)) <= 0, "taken over within the lease: " + takeover);
        assertEquals(other.getLocalMember().getId(), client.leases().inNamespace(NAMESPACE)
                .withName("weft-plant-a-leader-qms-inspections").get().getSpec().getHolderIdentity());
        Optional<?> seen = other.getLeader();
        assertFalse(seen.isEmpty());
    }

    private CamelClusterView view(String pod) throws Exception {
        LeaderElection election = new LeaderElection();
        election.kind = "kubernetes";
        election.instance = pod;
        election.lease = Duration.ofSeconds(10);
        election.renewInterval = Duration.ofSeconds(2);
        election.kubernetesLeaseName = "weft-plant-a-leader";
        election.kubernetesNamespace = Optional.of(NAMESPACE);
        election.kubernetesPodLabels = "app.kubernetes.io/name=weft";
        CamelClusterService service = election.create();
        CamelContext camel = new DefaultCamelContext();
        camel.addService(service, true, true);
        camel.start();
        contexts.add(camel);
        return service.getView("qms-inspections");
    }
}
