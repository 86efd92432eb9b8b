package io.weft.deploy;

import io.weft.testing.Auth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.weft.testing.Orders;
import io.weft.testing.PostgresDatabase;
import io.weft.testing.RecordingDestination;
import io.weft.testing.WeftProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image without a Docker engine: src/main/docker/Dockerfile.jvm copies what {@code mvn package} built,
 * its ENTRYPOINT runs that jar, and its command, run as a plain process in a folder standing for the image's
 * /deployments, with plant B's ConfigMaps projected where the Deployment mounts them and the image's and the
 * ConfigMap's environment, starts, becomes ready and runs plant B's own router and MES mapping with plant B's settings.
 */
class ContainerImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENTS = "/deployments";

    private final List<Process> started = new ArrayList<>();
    private final RecordingDestination mes = RecordingDestination.start("mes", "/api", 201);

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        mes.close();
    }

    @Test
    void theDockerfileCopiesWhatMavenBuiltAndItsEntrypointRunsThatJar() throws Exception {
        Dockerfile image = Dockerfile.jvm();
        String from = image.all("FROM").get(0);
        assertTrue(from.matches("\\S+:17[-.\\w]*"), "a Java 17 runtime base with a version tag: " + from);
        assertTrue(image.user().matches("[1-9]\\d*"), "a numeric non-root user (runAsNonRoot checks it): " + image.user());
        assertTrue(image.env("JDK_JAVA_OPTIONS").contains("-XX:MaxRAMPercentage="), "heap as a share of the memory limit");
        assertEquals(DEPLOYMENTS, image.workdir());
        DockerIgnore ignore = DockerIgnore.read(WeftProcess.projectDir().resolve(".dockerignore"));
        for (Dockerfile.Copy copy : image.copies()) {
            for (String source : copy.sources()) {
                List<Path> found = glob(source);
                assertFalse(found.isEmpty(), "COPY " + source + " exists after mvn package");
                for (Path path : found) {
                    String rel = WeftProcess.projectDir().relativize(path).toString();
                    assertTrue(ignore.sends(rel), rel + " is in the build context (.dockerignore)");
                }
            }
        }
        List<String> entrypoint = image.entrypoint();
        assertEquals("java", entrypoint.get(0));
        int jar = entrypoint.indexOf("-jar");
        assertTrue(jar > 0, "runs a jar: " + entrypoint);
        Path root = Files.createTempDirectory("weft-image-");
        replayCopies(image, root);
        Path inImage = mapped(root, entrypoint.get(jar + 1));
        assertEquals(-1L, Files.mismatch(WeftProcess.jar(), inImage), "the ENTRYPOINT's jar is the one Maven built");
    }

    @Test
    void theImagesCommandStartsWithPlantBsConfigMapsMountedWhereTheDeploymentPutsThem() throws Exception {
        Dockerfile image = Dockerfile.jvm();
        Path root = Files.createTempDirectory("weft-image-run-");
        replayCopies(image, root);
        Path overlay = Kustomize.k8s().resolve("overlays/plant-b");
        List<HasMetadata> objects = KubernetesManifestsTest.objects(overlay);
        for (String mount : List.of(DEPLOYMENTS + "/routes", DEPLOYMENTS + "/mappings", DEPLOYMENTS + "/config")) {
            project(KubernetesManifestsTest.projected(objects, mount), mapped(root, mount));
        }

        String db = PostgresDatabase.create();
        int http = WeftProcess.freePort();
        int management = WeftProcess.freePort();
        Map<String, String> env = new TreeMap<>();
        image.env().forEach((k, v) -> env.put(k, v.replace(DEPLOYMENTS, mapped(root, DEPLOYMENTS).toString())));
        // The pod's memory limit, which the JVM reads from its cgroup inside a container.
        env.put("JDK_JAVA_OPTIONS", env.get("JDK_JAVA_OPTIONS") + " -XX:MaxRAM=1g -XX:+UseSerialGC");
        KubernetesManifestsTest.all(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("weft-env")).findFirst().orElseThrow()
                .getData().forEach(env::put);
        // What differs from a cluster: no Kubernetes API here (leases on the database), and the plant's systems and
        // database are stand-ins on loopback.
        env.put("WEFT_CLUSTER_SERVICE", "database");
        env.put("WEFT_INSTANCE_ID", "weft-plant-b-0");
        env.put("WEFT_DB_URL", db);
        env.put("WEFT_DB_USER", PostgresDatabase.USER);
        env.put("WEFT_DB_PASSWORD", PostgresDatabase.CANARY_PASSWORD);
        env.put("WEFT_SYSTEMS_QMS_DB_URL", "jdbc:mariadb://127.0.0.1:1/qms");
        env.put("WEFT_SYSTEMS_QMS_INBOUND_ENABLED", "false");
        env.put("WEFT_SYSTEMS_MES_URL", mes.baseUrl());
        env.put("WEFT_SYSTEMS_ERP_URL", "http://127.0.0.1:1");
        env.put("WEFT_SYSTEMS_SUPPLIER_URL", "http://127.0.0.1:1");
        env.put("WEFT_SYSTEMS_WMS_INBOX", "file:" + Files.createDirectories(mapped(root, DEPLOYMENTS + "/wms/inbox")));
        env.put("WEFT_SYSTEMS_WMS_OUTBOX", "file:" + Files.createDirectories(mapped(root, DEPLOYMENTS + "/wms/outbox")));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(http));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        // The systems' key hashes and the operators come from a Secret in the cluster; here the tests' ones.
        Auth.config().forEach((key, value) -> env.put(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_"), value));

        List<String> command = new ArrayList<>();
        for (String arg : image.entrypoint()) {
            command.add(arg.replace(DEPLOYMENTS, mapped(root, DEPLOYMENTS).toString()));
        }
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = Files.createDirectories(WeftProcess.projectDir().resolve("target/weft-processes")).resolve("container-image.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(mapped(root, image.workdir()).toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process weft = builder.start();
        started.add(weft);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).failFast(
                () -> { if (!weft.isAlive()) throw new AssertionError("exited: " + Files.readString(log)); })
                .until(() -> ready(client, management) || ready(client, http));

        String order = Orders.nextOrderNumber();
        HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                        + "/inbound/erp/production-orders")).header("Content-Type", "application/json").headers(Auth.headers(Auth.erp()))
                .POST(HttpRequest.BodyPublishers.ofString(Orders.erpOrder(order, "P2"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = JSON.readTree(accepted.body()).path("id").asText();
        JsonNode message = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/api/messages/" + id)).headers(Auth.headers(Auth.admin())).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("/plants/P2/systems/erp", message.path("envelope").path("source").asText(),
                "weft.plant from plant B's application.properties: " + message);

        // Plant B's router sends P2's orders to its MES, through plant B's own MES mapping.
        await().atMost(Duration.ofSeconds(60)).until(() -> !mes.received().isEmpty());
        RecordingDestination.Received work = mes.received().get(0);
        assertEquals("/api/work-orders", work.path());
        assertEquals(order, JSON.readTree(work.body()).path("orderNo").asText(), work.body());
        Thread.sleep(2000);
        assertEquals(1, mes.received().size(), "delivered once");
    }

    private static boolean ready(HttpClient client, int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What {@code COPY} does, into {@code root} standing for the image's filesystem. */
    private static void replayCopies(Dockerfile image, Path root) throws IOException {
        for (Dockerfile.Copy copy : image.copies()) {
            Path destination = mapped(root, copy.destination());
            for (String source : copy.sources()) {
                for (Path path : glob(source)) {
                    if (Files.isDirectory(path)) {
                        copyTree(path, destination);
                    } else {
                        Path target = copy.destination().endsWith("/") ? destination.resolve(path.getFileName()) : destination;
                        Files.createDirectories(target.getParent());
                        Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** A ConfigMap volume hides what the image has at its mount path. */
    private static void project(Map<String, String> files, Path mountPath) throws IOException {
        if (Files.exists(mountPath)) {
            try (Stream<Path> old = Files.walk(mountPath)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = mountPath.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
    }

    private static Path mapped(Path root, String containerPath) {
        return root.resolve(containerPath.replaceFirst("^/", ""));
    }

    private static List<Path> glob(String source) throws IOException {
        Path project = WeftProcess.projectDir();
        String path = source.replaceAll("/$", "");
        if (!path.contains("*")) {
            Path p = project.resolve(path);
            return Files.exists(p) ? List.of(p) : List.of();
        }
        Path dir = project.resolve(path).getParent();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Path.of(path).getFileName().toString())) {
            files.forEach(found::add);
        }
        return found;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
