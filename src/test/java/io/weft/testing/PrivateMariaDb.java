package io.weft.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A MariaDB server of the test's own: {@code mariadb-install-db} into a temporary datadir the first time, then
 * {@code mariadbd} on a free loopback port with its own socket, run as root; the shared server's configuration
 * ({@code /etc/mysql}) is not read. {@link #stop()} and {@link #start()} keep the datadir. User root, no password.
 */
public final class PrivateMariaDb extends PrivateService {
    private final Path datadir;
    private Process process;
    private List<String> tlsOptions = List.of();

    public PrivateMariaDb() {
        super("mariadb");
        datadir = dir.resolve("data");
    }

    /** Serves TLS with this certificate and key (PEM) from the next start; plain connections stay possible. */
    public PrivateMariaDb withTls(Path certificate, Path key) {
        tlsOptions = List.of("--ssl-cert=" + certificate, "--ssl-key=" + key);
        return this;
    }

    /** The JDBC URL of the server, without a database (e.g. for {@link QmsDatabase#create(String)}). */
    public String serverUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        if (!Files.isDirectory(datadir.resolve("mysql"))) {
            run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + datadir, "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db"), Duration.ofMinutes(2));
        }
        List<String> command = new java.util.ArrayList<>(List.of("mariadbd", "--no-defaults", "--datadir=" + datadir,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--user=root", "--skip-log-bin", "--innodb-buffer-pool-size=32M"));
        command.addAll(tlsOptions);
        process = launch(command, dir.resolve("mariadbd.log"));
        awaitPort(true, Duration.ofSeconds(60), process);
    }

    @Override
    public synchronized void stop() {
        terminate(process, Duration.ofSeconds(60)); // SIGTERM: an orderly shutdown
    }

    @Override
    protected Optional<Long> serverPid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    @Override
    protected String executable() {
        return "mariadbd";
    }
}
