package io.weft.observe;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reachability of the spokes that are not reached by URL: a system with {@code weft.systems.<system>.datasource}
 * is up when a connection from that datasource is valid; a system with {@code weft.systems.<system>.broker-url}
 * is up while every started MQTT subscription to that broker is connected (none started: not checked; each
 * consumer reports its session as a {@link BrokerSession}); a
 * system with drop folders ({@code weft.systems.<system>.inbox} / {@code outbox}) is up when each local folder
 * is a writable directory (or can be created) and each SFTP server accepts a TCP connection.
 */
@ApplicationScoped
public class SpokeProbes {

    @Inject
    CamelContext camel;
    @Inject
    Config config;

    /**
     * For each of {@code systems} this can check, the check itself, not yet run: building the map reads only
     * configuration and Camel's in-memory route state, so a health check may call it; running a check does the
     * network or disk I/O and belongs to the probe loop ({@link SystemReachability}). A check answers empty when
     * the system is reachable, else what is wrong.
     */
    public Map<String, Supplier<Optional<String>>> probes(Set<String> systems) {
        Map<String, Supplier<Optional<String>>> found = new HashMap<>();
        for (String system : systems) {
            config.getOptionalValue("weft.systems." + system + ".datasource", String.class)
                    .ifPresent(name -> found.put(system, () -> database(name)));
        }
        for (String system : systems) {
            config.getOptionalValue("weft.systems." + system + ".broker-url", String.class)
                    .filter(this::hasStartedSubscription)
                    .ifPresent(brokerUrl -> found.put(system, () -> mqtt(brokerUrl)));
        }
        for (String system : systems) {
            List<String> folders = new ArrayList<>();
            for (String key : List.of("inbox", "outbox")) {
                config.getOptionalValue("weft.systems." + system + "." + key, String.class).ifPresent(folders::add);
            }
            if (!folders.isEmpty()) {
                found.put(system, () -> folders.stream().map(SpokeProbes::folder).flatMap(Optional::stream).findFirst());
            }
        }
        return found;
    }

    /** A drop folder, as the Camel endpoint it is configured as: {@code file:<path>} or {@code sftp://host:port/...}. */
    static Optional<String> folder(String endpoint) {
        if (endpoint.startsWith("sftp://") || endpoint.startsWith("ftp://")) {
            URI uri = URI.create(endpoint.replace("RAW(", "").replace(")", ""));
            int port = uri.getPort() > 0 ? uri.getPort() : endpoint.startsWith("sftp") ? 22 : 21;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
                return Optional.empty();
            } catch (IOException | IllegalArgumentException e) {
                return Optional.of("cannot connect to " + uri.getHost() + ":" + port + ": " + e.getMessage());
            }
        }
        Path dir = Path.of(endpoint.startsWith("file:") ? endpoint.substring("file:".length()) : endpoint);
        if (Files.isDirectory(dir)) {
            return Files.isWritable(dir) ? Optional.empty() : Optional.of("folder " + dir + " is not writable");
        }
        if (Files.exists(dir)) {
            return Optional.of(dir + " is not a folder");
        }
        // Camel creates a missing folder on first use: fine as long as its nearest existing parent is writable.
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        return parent != null && Files.isDirectory(parent) && Files.isWritable(parent) ? Optional.empty()
                : Optional.of("folder " + dir + " does not exist and cannot be created");
    }

    private static Optional<String> database(String name) {
        Optional<AgroalDataSource> dataSource;
        try {
            dataSource = AgroalDataSourceUtil.dataSourceIfActive(name);
        } catch (RuntimeException e) {
            return Optional.of("datasource " + name + " is not configured");
        }
        if (dataSource.isEmpty()) {
            return Optional.of("datasource " + name + " is not active");
        }
        try (Connection connection = dataSource.get().getConnection()) {
            return connection.isValid(2) ? Optional.empty() : Optional.of("database " + name + " did not answer");
        } catch (SQLException e) {
            return Optional.of("cannot connect to database " + name + ": " + e.getMessage());
        }
    }

    private List<BrokerSession> startedSubscriptions(String brokerUrl) {
        List<BrokerSession> started = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getConsumer() instanceof BrokerSession mqtt
                    && brokerUrl.equals(mqtt.brokerUrl())
                    && camel.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                started.add(mqtt);
            }
        }
        return started;
    }

    /** Whether an MQTT broker has anything to tell: a subscription to it is started (none: not checked). */
    private boolean hasStartedSubscription(String brokerUrl) {
        return !startedSubscriptions(brokerUrl).isEmpty();
    }

    /** Empty while every started subscription to {@code brokerUrl} is connected, else what is wrong. */
    private Optional<String> mqtt(String brokerUrl) {
        return startedSubscriptions(brokerUrl).stream().allMatch(BrokerSession::isConnected) ? Optional.empty()
                : Optional.of("not connected to the MQTT broker " + brokerUrl);
    }
}
