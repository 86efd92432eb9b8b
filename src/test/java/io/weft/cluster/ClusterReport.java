package io.weft.cluster;

import io.weft.testing.WeftProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one {@link LoadBalancedClusterIT} scenario, written to {@code bench/results/cluster-<scenario>.md}
 * (the latest run overwrites the last): what happened when, and the accounting (acknowledged, journaled, delivered,
 * duplicates, lost, failover). Written before the test asserts, so a failing run leaves its figures too.
 */
final class ClusterReport {
    private final String scenario;
    private final String title;
    private final long startedAt = System.nanoTime();
    private final String loadBefore = loadAverage();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();

    ClusterReport(String scenario, String title) {
        this.scenario = scenario;
        this.title = title;
    }

    ClusterReport setting(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    /** Something that happened, stamped with the seconds since the scenario began. */
    synchronized void event(String what) {
        String line = String.format("| %.1f s | %s |", (System.nanoTime() - startedAt) / 1e9, what);
        events.add(line);
        System.out.println("LoadBalancedClusterIT " + scenario + ": " + what);
    }

    ClusterReport figure(String what, Object value) {
        figures.put(what, String.valueOf(value));
        return this;
    }

    Path write() {
        StringBuilder md = new StringBuilder();
        md.append("# Cluster scenario `").append(scenario).append("`: ").append(title).append("\n\n");
        md.append("Written by `LoadBalancedClusterIT` (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append("): 3 packaged Weft instances on one PostgreSQL behind nginx (private process), real HTTP ")
                .append("sinks as MES and WMS, a Java load loop of ERP orders through nginx. Everything, the other ")
                .append("jobs on the machine included, shared ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; load average before: ").append(loadBefore).append(", after: ").append(loadAverage())
                .append(". Rates here are no sizing figures; the accounting holds.\n\n");
        table(md, "setting", settings);
        md.append("| time | event |\n|---|---|\n");
        events.forEach(e -> md.append(e).append('\n'));
        md.append('\n');
        table(md, "figure", figures);
        Path file = WeftProcess.projectDir().resolve("bench/results/cluster-" + scenario + ".md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void table(StringBuilder md, String head, Map<String, String> rows) {
        md.append("| ").append(head).append(" | |\n|---|---|\n");
        rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append('\n');
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
