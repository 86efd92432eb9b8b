package io.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Mosquitto broker of the test's own ({@code mosquitto -c <its config>}), anonymous, on a free loopback port,
 * with persistence in its folder, so that sessions and queued messages survive {@link #restart}, as on a plant's
 * broker.
 */
public final class PrivateMosquitto extends PrivateService {
    private Process process;

    public PrivateMosquitto() {
        super("mosquitto");
        try {
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence true",
                    "persistence_location " + dir + "/",
                    // run as root: no privileges to drop, and the persistence folder is root's
                    "user root",
                    "log_dest stdout", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same broker with a TLS listener only: its certificate and key (PEM) from {@code cert} and {@code key}; a
     * later {@link #useCertificate} swaps them (takes effect at the next start).
     */
    public PrivateMosquitto(Path cert, Path key) {
        this();
        useCertificate(cert, key);
    }

    public void useCertificate(Path cert, Path key) {
        tls = true;
        try {
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "certfile " + cert.toAbsolutePath(),
                    "keyfile " + key.toAbsolutePath(),
                    "allow_anonymous true",
                    "persistence true",
                    "persistence_location " + dir + "/",
                    "user root",
                    "log_dest stdout", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean tls;

    public String url() {
        if (tls) {
            return "ssl://127.0.0.1:" + port;
        }
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = launch(List.of("mosquitto", "-c", dir.resolve("mosquitto.conf").toString()), dir.resolve("mosquitto.log"));
        awaitPort(true, Duration.ofSeconds(30), process);
    }

    @Override
    public synchronized void stop() {
        terminate(process, Duration.ofSeconds(20)); // SIGTERM: Mosquitto saves its persistence file and exits
    }

    @Override
    protected Optional<Long> serverPid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    @Override
    protected String executable() {
        return "mosquitto";
    }
}
