package io.weft.cluster;

import io.weft.testing.PostgresDatabase;
import io.weft.testing.PrivateNginx;
import io.weft.testing.RecordingDestination;
import io.weft.testing.TestFiles;
import io.weft.testing.WeftProcess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Three packaged Weft instances on one PostgreSQL database of the test's own, behind a private nginx, with real
 * HTTP servers as the MES and the WMS (the WMS over REST JSON, as in {@code bench/cluster.sh}: the benchmark's
 * {@code bench/routes/wms.camel.yaml} replaces the file-based WMS route in a copy of {@code routes/}). Each
 * instance keeps its name (its {@code weft.instance-id}) and its ports across a restart, as nginx's upstreams do.
 */
final class LoadBalancedCluster implements AutoCloseable {
    static final List<String> NAMES = List.of("weft-1", "weft-2", "weft-3");

    private final WeftProcess.Processes processes;
    private final Map<String, String> settings;
    private final String db = PostgresDatabase.create();
    private final Path work;
    private final Map<String, int[]> ports = new LinkedHashMap<>();
    private final Map<String, WeftProcess> running = new LinkedHashMap<>();
    final RecordingDestination mes = RecordingDestination.start("mes", "/api/work-orders", 201);
    final RecordingDestination wms = RecordingDestination.start("wms", "/orders", 200);
    private final PrivateNginx nginx;

    /** {@code settings}: Weft settings the scenario chooses (leases, batches), given to every instance. */
    LoadBalancedCluster(WeftProcess.Processes processes, Map<String, String> settings) throws IOException {
        this.processes = processes;
        this.settings = Map.copyOf(settings);
        this.work = Files.createTempDirectory(WeftProcess.projectDir().resolve("target"), "cluster-");
        copyRoutes();
        for (String name : NAMES) {
            ports.put(name, new int[] {WeftProcess.freePort(), WeftProcess.freePort()});
        }
        nginx = new PrivateNginx(NAMES.stream().map(n -> ports.get(n)[0]).toList());
    }

    /** Starts the three instances at once, waits until each is ready, then starts nginx in front of them. */
    LoadBalancedCluster start(Duration readyWithin) {
        NAMES.forEach(this::launch);
        NAMES.forEach(name -> running.get(name).awaitReady(readyWithin));
        nginx.start();
        return this;
    }

    URI url() {
        return URI.create(nginx.url());
    }

    String database() {
        return db;
    }

    /** Each instance's business port, as nginx's upstreams name them. */
    String ports() {
        StringBuilder all = new StringBuilder();
        ports.forEach((name, p) -> all.append(all.length() == 0 ? "" : ", ").append(name).append(' ').append(p[0]));
        return all.toString();
    }

    WeftProcess instance(String name) {
        return running.get(name);
    }

    /** kill -9. */
    void kill(String name) {
        running.get(name).kill();
    }

    /** SIGTERM (Quarkus's orderly shutdown), as Kubernetes stops a pod. */
    void stop(String name) {
        running.get(name).stop();
    }

    /** Starts the instance again under its name and ports and waits until it is ready. */
    void restart(String name, Duration readyWithin) {
        relaunch(name);
        running.get(name).awaitReady(readyWithin);
    }

    /** Starts the instance again under its name and ports; returns at once. */
    void relaunch(String name) {
        launch(name);
    }

    private void launch(String name) {
        Map<String, String> config = new LinkedHashMap<>(PostgresDatabase.weftConfig(db));
        config.put("weft.instance-id", name);
        config.put("quarkus.http.port", String.valueOf(ports.get(name)[0]));
        config.put("quarkus.management.port", String.valueOf(ports.get(name)[1]));
        config.put("weft.routes-dir", work.resolve("routes").toString());
        config.put("weft.data-dir", work.resolve("data-" + name).toString());
        config.put("weft.systems.mes.url", mes.baseUrl());
        config.put("weft.systems.wms.url", wms.baseUrl());
        config.put("weft.systems.wms.inbox", "file:" + work.resolve("wms-inbox"));
        config.put("weft.systems.qms.inbound.enabled", "false");
        config.put("weft.systems.iot.inbound.enabled", "false");
        // Three instances and the test share two cores and one PostgreSQL: fewer connections each.
        config.put("quarkus.datasource.pg.jdbc.max-size", "8");
        config.putAll(settings);
        running.put(name, processes.start(name, config));
    }

    /** The deliveries (message id / destination) still due and claimed by {@code instance}. */
    Set<String> claimedBy(String instance) throws SQLException {
        return strings("SELECT message_id || '/' || destination FROM delivery WHERE claimed_by = ? "
                + "AND status IN ('PENDING', 'RETRYING')", instance);
    }

    /** The journal's ids of the ERP's orders. */
    Set<String> journaled() throws SQLException {
        return strings("SELECT id FROM message WHERE source_system = ?", "erp");
    }

    long count(String sql) throws SQLException {
        return PostgresDatabase.count(db, sql);
    }

    /** Deliveries with more than one successful attempt recorded: sent twice as far as Weft knows. */
    long sentTwice() throws SQLException {
        return count("SELECT count(*) FROM (SELECT delivery_id FROM delivery_attempt WHERE outcome = 'SUCCESS' "
                + "GROUP BY delivery_id HAVING count(*) > 1) d");
    }

    /** Attempts of deliveries of {@code deliveries} (message id / destination) recorded by another instance than {@code instance}. */
    Set<String> deliveredByOthers(Set<String> deliveries, String instance) throws SQLException {
        Set<String> done = strings("SELECT d.message_id || '/' || d.destination FROM delivery d JOIN delivery_attempt a "
                + "ON a.delivery_id = d.id WHERE a.outcome = 'SUCCESS' AND a.instance <> ?", instance);
        done.retainAll(deliveries);
        return done;
    }

    String attemptsByInstance() throws SQLException {
        return String.join(", ", new java.util.TreeSet<>(strings("SELECT instance || ': ' || count(*) "
                + "FROM delivery_attempt GROUP BY instance", null)));
    }

    private Set<String> strings(String sql, String parameter) throws SQLException {
        try (Connection c = PostgresDatabase.connect(db); PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            Set<String> values = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    private void copyRoutes() throws IOException {
        Path routes = TestFiles.copyTree(WeftProcess.projectDir().resolve("routes"), work.resolve("routes"));
        Files.copy(WeftProcess.projectDir().resolve("bench/routes/wms.camel.yaml"),
                routes.resolve("systems/wms.camel.yaml"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The last lines of nginx's error log so far (which upstream failed how), for a failure's message. */
    String nginxErrors() {
        try {
            List<String> lines = Files.readAllLines(nginx.errorLog());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    /** Where nginx's error log is kept after {@link #close()} (its own folder is deleted). */
    Path nginxErrorLog() {
        return work.resolve("nginx-error.log");
    }

    @Override
    public void close() {
        try {
            if (Files.exists(nginx.errorLog())) {
                Files.copy(nginx.errorLog(), nginxErrorLog(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("cannot keep nginx's error log: " + e);
        }
        try {
            nginx.close();
        } finally {
            running.values().forEach(WeftProcess::stop);
            mes.close();
            wms.close();
        }
    }
}
