package io.weft.cluster;

import io.weft.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the cluster service behind Camel's {@code master:} component, which the polling spokes (the QMS table, the
 * WMS inbox) start from, so each runs on one instance at a time: Kubernetes Leases on Kubernetes, Weft's lease table
 * on a shared PostgreSQL, and "always the leader" on the embedded store (see README, "Scaling").
 *
 * <p>Registered with the Camel context before the routes are configured, because the {@code master:} component looks
 * its cluster service up when the first route that uses it is created.
 */
@ApplicationScoped
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Inject
    Store store;
    @ConfigProperty(name = "weft.instance-id")
    String instance;
    /** {@code auto} (the store decides), {@code kubernetes}, {@code database} or {@code single}. */
    @ConfigProperty(name = "weft.cluster.service", defaultValue = "auto")
    String kind;
    @ConfigProperty(name = "weft.cluster.lease", defaultValue = "15s")
    Duration lease;
    @ConfigProperty(name = "weft.cluster.renew-interval", defaultValue = "5s")
    Duration renewInterval;
    @ConfigProperty(name = "weft.cluster.kubernetes.lease-name", defaultValue = "weft-leader")
    String kubernetesLeaseName;
    @ConfigProperty(name = "weft.cluster.kubernetes.namespace")
    Optional<String> kubernetesNamespace;
    /** Labels that select this deployment's pods, {@code key=value,key=value}. */
    @ConfigProperty(name = "weft.cluster.kubernetes.pod-labels", defaultValue = "app.kubernetes.io/name=weft")
    String kubernetesPodLabels;

    void register(@Observes BeforeConfigure event) throws Exception {
        CamelContext camel = event.getCamelContext();
        CamelClusterService service = create();
        camel.addService(service, true, true);
        LOG.infof("pollers lead through %s (instance %s)", service.getId(), instance);
    }

    CamelClusterService create() {
        return switch (kind.trim().toLowerCase()) {
            case "kubernetes" -> kubernetes();
            case "database" -> database();
            case "single" -> new SingleInstanceClusterService(instance);
            case "auto" -> store.isShared() ? database() : new SingleInstanceClusterService(instance);
            default -> throw new IllegalArgumentException(
                    "weft.cluster.service must be auto, kubernetes, database or single, not '" + kind + "'");
        };
    }

    private CamelClusterService database() {
        if (!store.isShared()) {
            throw new IllegalArgumentException("weft.cluster.service=database needs the PostgreSQL store (profile pg)");
        }
        return new DatabaseLeaseClusterService(new LeaseTable(store, renewInterval), instance, lease, renewInterval);
    }

    /** Camel's Kubernetes cluster service on coordination.k8s.io Leases; the pod's name is its member id. */
    private CamelClusterService kubernetes() {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId("weft-kubernetes-lease");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(kubernetesLeaseName);
        service.setPodName(instance);
        kubernetesNamespace.ifPresent(service::setKubernetesNamespace);
        service.setClusterLabels(labels(kubernetesPodLabels));
        service.setLeaseDurationMillis(lease.toMillis());
        service.setRenewDeadlineMillis(lease.toMillis() * 2 / 3);
        service.setRetryPeriodMillis(renewInterval.toMillis());
        return service;
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("weft.cluster.kubernetes.pod-labels: '" + pair + "' is not key=value");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return labels;
    }
}
