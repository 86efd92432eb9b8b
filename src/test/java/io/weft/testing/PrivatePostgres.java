package io.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: {@code initdb} into a temporary folder owned by the user {@code postgres}
 * (PostgreSQL refuses to run as root), then {@code pg_ctl start/stop} as that user ({@code runuser -u postgres}) on
 * a free loopback port, with trust authentication. {@link #stop()} is a fast shutdown (connections are cut, as
 * when a database server is restarted); {@link #start()} keeps the data.
 */
public final class PrivatePostgres extends PrivateService {
    private final Path data;
    private volatile boolean running;

    public PrivatePostgres() {
        super("postgres");
        data = dir.resolve("data");
        try {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("the user postgres is needed (Debian package postgresql)", e);
        }
    }

    private String tlsOptions = "";

    /**
     * TLS on from the next start ({@code ssl=on}): the server's certificate and key (PEM) are copied into the
     * server's folder, owned by postgres and readable only by it, as PostgreSQL demands of a key file.
     */
    public PrivatePostgres withTls(Path certificate, Path key) {
        try {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Path cert = Files.copy(certificate, dir.resolve("server.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path own = Files.copy(key, dir.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            for (Path f : new Path[]{cert, own}) {
                Files.setOwner(f, postgres);
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            tlsOptions = " -c ssl=on -c ssl_cert_file=" + cert + " -c ssl_key_file=" + own;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDBC URL of the database {@code name} on this server (user postgres, no password). */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** Creates a database; returns its JDBC URL. */
    public String createDatabase(String name) {
        try (var c = java.sql.DriverManager.getConnection(url("postgres"), "postgres", "");
             var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (!Files.isDirectory(data)) {
            run(asPostgres(bin("initdb"), "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync",
                    "-E", "UTF8", "--no-locale"), Duration.ofMinutes(2));
        }
        run(asPostgres(bin("pg_ctl"), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1" + tlsOptions, "start"), Duration.ofSeconds(90));
        running = true;
        serverPid().ifPresent(this::remember);
        awaitPort(true, Duration.ofSeconds(30), null);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        run(asPostgres(bin("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), Duration.ofSeconds(90));
        running = false;
        awaitPort(false, Duration.ofSeconds(10), null);
    }

    /** The postmaster's pid, from the first line of {@code postmaster.pid}. */
    @Override
    protected Optional<Long> serverPid() {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    protected String executable() {
        return "postgres";
    }

    private static List<String> asPostgres(String... command) {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        all.addAll(List.of(command));
        return all;
    }

    /** The newest installed PostgreSQL's program {@code name} (Debian: /usr/lib/postgresql/<version>/bin). */
    private static String bin(String name) {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no " + name + " under /usr/lib/postgresql"))
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL is not installed (Debian package postgresql)", e);
        }
    }
}
