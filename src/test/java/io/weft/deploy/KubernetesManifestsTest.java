package io.weft.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.weft.tools.Validate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every plant overlay under k8s/overlays builds with kustomize, and what it builds is what a plant must get: each object
 * parses strictly with the Kubernetes model, probes on the management port, no secret values, a released image,
 * resources, a non-root read-only container, the plant's routes and mappings mounted where the image reads them, and
 * the plant's files pass the validate command (the step a plant's pipeline runs before a deploy).
 */
class KubernetesManifestsTest {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|private[-_.]?key|credential).*");

    static List<Path> overlays() throws Exception {
        List<Path> overlays = Kustomize.overlays();
        assertTrue(overlays.size() >= 2, "k8s/overlays has the two sample plants: " + overlays);
        return overlays;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theOverlayBuildsIntoObjectsTheKubernetesModelKnows(Path overlay) throws Exception {
        List<HasMetadata> objects = objects(overlay);
        Set<String> kinds = objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Deployment", "Service", "ConfigMap", "ServiceMonitor", "PrometheusRule",
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "ServiceAccount", "Role", "RoleBinding")),
                "kinds: " + kinds);
        assertFalse(kinds.contains("Secret"), "Secrets are the plant's, never in the manifests");
        String namespace = one(objects, Deployment.class).getMetadata().getNamespace();
        assertNotNull(namespace, "the overlay names the plant's namespace");
        assertTrue(objects.stream().allMatch(o -> namespace.equals(o.getMetadata().getNamespace())), "one namespace");

        Deployment deployment = one(objects, Deployment.class);
        assertTrue(deployment.getSpec().getReplicas() >= 2, "at least two replicas");
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertFalse(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().isEmpty());
        assertEquals(deployment.getSpec().getReplicas(),
                one(objects, HorizontalPodAutoscaler.class).getSpec().getMinReplicas(), "the HPA keeps the replicas");
        assertEquals(1, one(objects, PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal());
        assertEquals("management", one(objects, ServiceMonitor.class).getSpec().getEndpoints().get(0).getPort());
        assertEquals("/q/metrics", one(objects, ServiceMonitor.class).getSpec().getEndpoints().get(0).getPath());
        assertFalse(one(objects, PrometheusRule.class).getSpec().getGroups().get(0).getRules().isEmpty());
        assertFalse(one(objects, NetworkPolicy.class).getSpec().getIngress().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheManagementPort(Path overlay) throws Exception {
        Container weft = container(objects(overlay));
        int management = weft.getPorts().stream().filter(p -> "management".equals(p.getName()))
                .mapToInt(ContainerPort::getContainerPort).findFirst().orElseThrow();
        assertEquals(9000, management);
        Map<String, Probe> probes = Map.of("startup", weft.getStartupProbe(), "liveness", weft.getLivenessProbe(),
                "readiness", weft.getReadinessProbe());
        Map<String, String> paths = Map.of("startup", "/q/health/started", "liveness", "/q/health/live",
                "readiness", "/q/health/ready");
        probes.forEach((kind, probe) -> {
            assertNotNull(probe, kind + " probe");
            assertEquals(paths.get(kind), probe.getHttpGet().getPath(), kind);
            assertEquals(9000, port(weft, probe.getHttpGet().getPort()), kind + " probe on the management port");
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void noSecretValueIsInTheOutput(Path overlay) throws Exception {
        List<HasMetadata> objects = objects(overlay);
        for (EnvVar env : container(objects).getEnv()) {
            if (SECRET_NAME.matcher(env.getName()).matches()) {
                assertTrue(env.getValue() == null && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null,
                        env.getName() + " comes from a Secret, not a value: " + env);
            }
        }
        for (ConfigMap map : all(objects, ConfigMap.class)) {
            map.getData().forEach((key, text) -> {
                if (SECRET_NAME.matcher(key).matches()) {
                    fail("ConfigMap " + map.getMetadata().getName() + " holds " + key);
                }
                for (String line : text.split("\n")) {
                    int eq = line.indexOf('=');
                    if (!line.startsWith("#") && eq > 0 && SECRET_NAME.matcher(line.substring(0, eq)).matches()) {
                        String value = line.substring(eq + 1).strip();
                        assertTrue(value.isEmpty() || value.matches("\\$\\{[A-Z0-9_]+(:)?}"),
                                map.getMetadata().getName() + "/" + key + " sets a secret: " + line.substring(0, eq));
                    }
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theContainerRunsAReleasedImageAsNonRootWithResourcesAndAReadOnlyRoot(Path overlay) throws Exception {
        List<HasMetadata> objects = objects(overlay);
        PodSpec pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();
        Container weft = container(objects);
        String image = weft.getImage();
        String tag = image.substring(image.lastIndexOf('/') + 1).contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
        assertFalse(tag.isEmpty() || tag.equals("latest"), "a released tag, not latest: " + image);

        assertNotNull(weft.getResources().getRequests().get("cpu"), "cpu request");
        assertNotNull(weft.getResources().getRequests().get("memory"), "memory request");
        assertNotNull(weft.getResources().getLimits().get("memory"), "memory limit (the heap is a share of it)");

        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(pod.getSecurityContext().getRunAsUser() > 0, "a non-root user id");
        assertEquals(Boolean.TRUE, weft.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, weft.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), weft.getSecurityContext().getCapabilities().getDrop());
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        for (VolumeMount mount : weft.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            assertNotNull(volume, "volume of " + mount.getMountPath());
            if (!Boolean.TRUE.equals(mount.getReadOnly())) {
                assertTrue(volume.getEmptyDir() != null || volume.getPersistentVolumeClaim() != null,
                        mount.getMountPath() + " is written, so it is an emptyDir or a claimed volume");
            }
        }
        assertTrue(weft.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), "/tmp is writable");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theConfigMapsHoldEveryRouteAndMappingFileAtThePathsTheImageReads(Path overlay) throws Exception {
        List<HasMetadata> objects = objects(overlay);
        Dockerfile image = Dockerfile.jvm();
        Map<String, String> expectedMounts = Map.of(
                "routes", image.env("WEFT_ROUTES_DIR"),
                "mappings", image.env("WEFT_MAPPINGS_DIR"),
                "config", image.workdir() + "/config");
        for (String kind : List.of("routes", "mappings")) {
            Map<String, String> mounted = projected(objects, expectedMounts.get(kind));
            Map<String, String> expected = PlantFiles.expected(overlay, kind);
            assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(mounted).keySet(),
                    "every " + kind + " file of the plant, at its path under " + expectedMounts.get(kind));
            expected.forEach((path, content) -> assertEquals(content, mounted.get(path), kind + "/" + path));
        }
        Map<String, String> config = projected(objects, expectedMounts.get("config"));
        assertTrue(config.containsKey("application.properties"), "the plant's settings where Quarkus reads them");
        assertEquals(Files.readString(overlay.resolve("plant/application.properties")), config.get("application.properties"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePlantsRoutesAndMappingsPassTheValidateCommand(Path overlay) throws Exception {
        Kustomize.build(overlay);
        Path generated = overlay.resolve("generated");
        List<io.weft.tools.Finding> findings = Validate.check(generated.resolve("routes"), generated.resolve("mappings"));
        assertEquals(List.of(), findings, "the plant's files are loadable and every example passes");
    }

    /** The files the kubelet puts under {@code mountPath}: ConfigMap keys at their item paths. */
    static Map<String, String> projected(List<HasMetadata> objects, String mountPath) {
        PodSpec pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();
        VolumeMount mount = container(objects).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(mountPath)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + mountPath));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertNotNull(volume.getConfigMap(), mountPath + " is a ConfigMap");
        ConfigMap map = all(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(volume.getConfigMap().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + volume.getConfigMap().getName()));
        Map<String, String> files = new TreeMap<>();
        List<KeyToPath> items = volume.getConfigMap().getItems();
        if (items == null || items.isEmpty()) {
            files.putAll(map.getData());
        } else {
            for (KeyToPath item : items) {
                assertTrue(map.getData().containsKey(item.getKey()), "ConfigMap key " + item.getKey());
                String previous = files.put(item.getPath(), map.getData().get(item.getKey()));
                assertNull(previous, "two keys at " + item.getPath());
            }
            assertEquals(map.getData().keySet(), items.stream().map(KeyToPath::getKey).collect(Collectors.toSet()),
                    "every key of " + map.getMetadata().getName() + " is mounted");
        }
        return files;
    }

    static List<HasMetadata> objects(Path overlay) throws Exception {
        return Kustomize.documents(Kustomize.build(overlay)).stream().map(StrictModel::parse).toList();
    }

    static Container container(List<HasMetadata> objects) {
        List<Container> containers = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static int port(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .mapToInt(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = all(objects, type);
        assertEquals(1, found.size(), "one " + type.getSimpleName());
        return found.get(0);
    }
}
