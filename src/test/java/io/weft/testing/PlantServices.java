package io.weft.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The machine's MariaDB (127.0.0.1:3306) and Mosquitto (127.0.0.1:1883), which other engineers' tests use too:
 * restart one for a few seconds, by the pid in its pid file, and always start it again (the start commands are
 * the ones .ci/run uses) and wait until its port answers.
 */
public final class PlantServices {
    public static final int MARIADB_PORT = 3306;
    public static final int MOSQUITTO_PORT = 1883;

    private PlantServices() {
    }

    /** Stops MariaDB, runs {@code whileDown}, starts it again (also when {@code whileDown} failed). */
    public static void restartMariaDb(Runnable whileDown) {
        restart(Path.of("/run/mysqld/mysqld.pid"), MARIADB_PORT, whileDown,
                List.of("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"));
    }

    /** Stops Mosquitto, runs {@code whileDown}, starts it again (also when {@code whileDown} failed). */
    public static void restartMosquitto(Runnable whileDown) {
        restart(Path.of("/run/mosquitto/mosquitto.pid"), MOSQUITTO_PORT, whileDown,
                List.of("mosquitto", "-d", "-c", "/etc/mosquitto/mosquitto.conf"));
    }

    private static void restart(Path pidFile, int port, Runnable whileDown, List<String> start) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle process = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("no process " + pid + " (from " + pidFile + ")"));
            process.destroy();
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            awaitPort(port, false, Duration.ofSeconds(10));
            whileDown.run();
        } catch (Exception e) {
            throw new IllegalStateException("restarting the service on port " + port + " failed", e);
        } finally {
            startAndAwait(port, start);
        }
    }

    private static void startAndAwait(int port, List<String> start) {
        if (!answers(port)) {
            try {
                new ProcessBuilder(start).inheritIO().start().waitFor();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + start, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        awaitPort(port, true, Duration.ofSeconds(60));
    }

    public static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitPort(int port, boolean open, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answers(port) != open) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("port " + port + (open ? " did not open" : " did not close") + " within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
