package io.weft.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged Weft ({@code target/quarkus-app/quarkus-run.jar}) run as a child process, the way a plant runs
 * it: configuration as {@code -D} system properties, output to a log file under {@code target/weft-processes/}.
 * Integration tests (failsafe, {@code *IT}) start, kill and restart it and read its output.
 *
 * <p>Register {@link Processes} as a JUnit extension to have every process a test started stopped after the
 * test, and its output printed when the test fails.
 */
public final class WeftProcess {
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private WeftProcess(String name, Process process, Path log, int port, int managementPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The repository root: the working directory that finds {@code routes/} and {@code mappings/}. */
    public static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    public static Path jar() {
        Path jar = projectDir().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package` (mvn verify)");
        }
        return jar;
    }

    /** A loopback port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the jar from the repository root with {@code config} as system properties. Unless the config names
     * {@code quarkus.http.port} and {@code quarkus.management.port}, free ports are chosen; unless it names them,
     * the test credentials of {@link Auth#config()} are configured (not for the demo profile, which brings its own). Returns at once; see {@link #awaitReady(Duration)}.
     */
    public static WeftProcess start(String name, Map<String, String> config) {
        return start(name, config, projectDir());
    }

    public static WeftProcess start(String name, Map<String, String> config, Path workingDir) {
        return start(name, config, workingDir, Map.of());
    }

    /** As {@link #start(String, Map, Path)}, with {@code environment} added to the process's environment. */
    public static WeftProcess start(String name, Map<String, String> config, Path workingDir,
                                    Map<String, String> environment) {
        Map<String, String> properties = new TreeMap<>(config);
        properties.putIfAbsent("quarkus.http.port", String.valueOf(freePort()));
        properties.putIfAbsent("quarkus.management.port", String.valueOf(freePort()));
        if (!"demo".equals(properties.get("quarkus.profile"))) {
            // The demo brings its own credentials; every other run gets the tests'.
            Auth.config().forEach(properties::putIfAbsent);
        }
        int port = Integer.parseInt(properties.get("quarkus.http.port"));
        int managementPort = Integer.parseInt(properties.get("quarkus.management.port"));

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and single-threaded GC: the machines running the tests have two cores, shared.
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        // A test process lives seconds to minutes, mostly starting: the C1 compiler alone takes about a third less
        // CPU to readiness (6.5 s instead of 9.8 s measured), and the tests' CPU, not their waiting, bounds the suite.
        command.add("-XX:TieredStopAtLevel=1");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar().toString());

        try {
            Path logs = Files.createDirectories(projectDir().resolve("target/weft-processes"));
            Path log = logs.resolve(String.format("%03d-%s.log", STARTED.incrementAndGet(), name));
            Files.writeString(log, "$ " + String.join(" ", command) + "\n(in " + workingDir + ")\n\n");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new WeftProcess(name, process, log, port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The management interface: /q/health, /q/metrics, /q/openapi. */
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code /q/health/ready} (on the management port) answers 200; fails early, with the output, if
     * the process exits.
     */
    public WeftProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest ready = HttpRequest.newBuilder(managementUri().resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready\n"
                        + tail(200));
            }
            try {
                HttpResponse<String> response = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return this;
                }
                last = response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                last = "not listening on " + port;
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            sleep(200);
        }
        throw new AssertionError(name + " not ready within " + timeout + " (" + last + ")\n" + tail(200));
    }

    /** Waits for the process to end by itself and returns its exit code; fails (and kills it) on timeout. */
    public int awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        throw new AssertionError(name + " still running after " + timeout + "; killed it\n" + tail(200));
    }

    /** SIGKILL (on Linux): no shutdown hooks, no orderly close, as in a power cut or an OOM kill. */
    public void kill() {
        process.destroyForcibly();
        waitForEnd(Duration.ofSeconds(15));
    }

    /** SIGTERM, an orderly Quarkus shutdown; SIGKILL if it takes longer than 20 seconds. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (process.waitFor(20, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    private void waitForEnd(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") did not end within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Everything the process has written so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of the output, headed by the log file's path. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return "---- " + name + " (pid " + pid() + "), last " + last.size() + " of " + all.size() + " lines of " + log
                + " ----\n" + String.join("\n", last) + "\n---- end of " + name + " ----";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * A JUnit 5 extension ({@code @RegisterExtension}) that starts Weft processes for a test, stops whatever is
     * still running after it, and prints each process's output when the test fails.
     */
    public static final class Processes implements AfterEachCallback, AfterAllCallback, TestWatcher {
        private final List<WeftProcess> started = new ArrayList<>();
        private final boolean perClass;

        /** Processes of one test: stopped after it. */
        public Processes() {
            this(false);
        }

        private Processes(boolean perClass) {
            this.perClass = perClass;
        }

        /**
         * Processes shared by a class's tests ({@code @RegisterExtension static}): stopped after the last of them; a
         * failing test prints their output so far.
         */
        public static Processes perClass() {
            return new Processes(true);
        }

        public WeftProcess start(String name, Map<String, String> config) {
            return track(WeftProcess.start(name, config));
        }

        public WeftProcess start(String name, Map<String, String> config, Path workingDir) {
            return track(WeftProcess.start(name, config, workingDir));
        }

        public WeftProcess start(String name, Map<String, String> config, Path workingDir, Map<String, String> environment) {
            return track(WeftProcess.start(name, config, workingDir, environment));
        }

        private synchronized WeftProcess track(WeftProcess process) {
            started.add(process);
            return process;
        }

        @Override
        public synchronized void afterEach(ExtensionContext context) {
            if (!perClass) {
                started.forEach(WeftProcess::stop);
            }
        }

        @Override
        public synchronized void afterAll(ExtensionContext context) {
            started.forEach(WeftProcess::stop);
            started.clear();
        }

        @Override
        public synchronized void testFailed(ExtensionContext context, Throwable cause) {
            for (WeftProcess process : started) {
                System.err.println(process.tail(400));
            }
            forget();
        }

        @Override
        public synchronized void testSuccessful(ExtensionContext context) {
            forget();
        }

        @Override
        public synchronized void testAborted(ExtensionContext context, Throwable cause) {
            forget();
        }

        /** After a test: its processes are stopped; a class's stay tracked until after the last test. */
        private void forget() {
            if (!perClass) {
                started.clear();
            }
        }
    }
}
