package io.weft.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A broker or database of a test's own, on a free loopback port with its files in a temporary folder, so that a
 * test can stop and start it without touching the machine's shared service. Used as a JUnit extension
 * ({@code @RegisterExtension static}: started before the class's tests, closed after them, also when they fail)
 * or directly with try-with-resources / a Quarkus test resource. A shutdown hook kills what is still running
 * when the JVM ends; and since a JVM killed with -9 runs no hook, every new instance first removes the instances
 * of JVMs that are gone (their folder names the owning JVM and the server's pid).
 */
public abstract class PrivateService implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "weft-private");
    private static final AtomicInteger COUNT = new AtomicInteger();

    protected final Path dir;
    protected final int port;
    private final Thread killer = new Thread(this::kill, "private-service-killer");

    protected PrivateService(String kind) {
        sweepOrphans();
        port = WeftProcess.freePort();
        try {
            dir = Files.createDirectories(ROOT.resolve(kind + "-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet()));
            Files.writeString(dir.resolve("owner"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(killer);
    }

    public int port() {
        return port;
    }

    /** Starts the server (initialising its files the first time) and waits until its port answers. */
    public abstract void start();

    /** Stops the server in an orderly way, keeping its files, and waits until its port is closed. */
    public abstract void stop();

    /** The server's process id, while it runs. */
    protected abstract Optional<Long> serverPid();

    /** The name of the server's executable, to recognise its process (pids are reused). */
    protected abstract String executable();

    /** Stops it, waits {@code down}, starts it again; it is started again also when stopping failed. */
    public void restart(Duration down) {
        try {
            stop();
            sleep(down.toMillis());
        } finally {
            start();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            kill();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            delete(dir);
        }
    }

    /**
     * Stops a server this JVM launched: SIGTERM (its orderly shutdown), SIGKILL if it has not ended within
     * {@code grace}, then waits until its port is closed.
     */
    protected void terminate(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitPort(false, Duration.ofSeconds(10), null);
    }

    /** Kills the server at once (shutdown hook, or after a failed stop). */
    protected void kill() {
        serverPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Records the server's pid for {@link #sweepOrphans()} of a later JVM. */
    protected void remember(long pid) {
        try {
            Files.writeString(dir.resolve("server.pid"), pid + " " + executable());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Process launch(List<String> command, Path log) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            remember(process.pid());
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs a command to its end; fails with its output unless it exits 0. */
    protected static void run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + process.exitValue() + ":\n" + new String(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    protected void awaitPort(boolean open, Duration timeout, Process process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answers() != open) {
            if (open && process != null && !process.isAlive()) {
                throw new IllegalStateException(getClass().getSimpleName() + " exited with " + process.exitValue()
                        + "; see " + dir);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(getClass().getSimpleName() + " on port " + port
                        + (open ? " did not open" : " did not close") + " within " + timeout + "; see " + dir);
            }
            sleep(100);
        }
    }

    /** Kills the servers of test JVMs that ended without closing them (killed with -9) and deletes their files. */
    static synchronized void sweepOrphans() {
        if (!Files.isDirectory(ROOT)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path old : dirs.toList()) {
                try {
                    long owner = Long.parseLong(Files.readString(old.resolve("owner")).trim());
                    if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                    Path pidFile = old.resolve("server.pid");
                    if (Files.exists(pidFile)) {
                        String[] pidAndName = Files.readString(pidFile).trim().split(" ", 2);
                        ProcessHandle.of(Long.parseLong(pidAndName[0]))
                                .filter(p -> p.info().command().map(c -> c.endsWith(pidAndName[1])).orElse(false))
                                .ifPresent(ProcessHandle::destroyForcibly);
                    }
                    delete(old);
                } catch (IOException | RuntimeException e) {
                    // not ours, or half-written: leave it
                }
            }
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
