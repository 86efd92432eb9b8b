package io.weft.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real SFTP server for tests: the machine's OpenSSH {@code sshd} (Debian package openssh-server), started on a
 * free loopback port with its own host key, config and authorized key in a temporary folder; the client logs in
 * as the current user with a key generated for the test, and checks the server's host key against a known_hosts
 * file written for it. As a Quarkus test resource it serves the WMS's drop folders: {@code weft.systems.wms.inbox}
 * and {@code outbox} become {@code sftp://} folders, and {@link #wmsInbox()} / {@link #wmsOutbox()} are the same
 * folders on local disk.
 */
public class SftpServer implements QuarkusTestResourceLifecycleManager {
    private static final String SSHD = "/usr/sbin/sshd";

    private static Path dir;
    private static Process sshd;
    private static int port;

    public static Path wmsInbox() {
        return dir.resolve("wms/inbox");
    }

    /** The known_hosts file Weft checks the server's host key against. */
    public static Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public static Path wmsOutbox() {
        return dir.resolve("wms/outbox");
    }

    @Override
    public Map<String, String> start() {
        try {
            if (!Files.isExecutable(Path.of(SSHD))) {
                throw new IllegalStateException(SSHD + " is missing: apt-get install -y openssh-server (.ci/run does)");
            }
            dir = Files.createTempDirectory("weft-sftp-");
            Files.createDirectories(wmsInbox());
            Files.createDirectories(wmsOutbox());
            // sshd's privilege separation directory (Debian's init script creates it; a bare sshd does not).
            Files.createDirectories(Path.of("/run/sshd"));
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("client_key").toString());
            Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
            port = WeftProcess.freePort();
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("host_key"),
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "StrictModes no",
                    "UsePAM no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "Subsystem sftp internal-sftp",
                    ""));
            String hostKey = Files.readString(dir.resolve("host_key.pub")).trim();
            String[] typeAndKey = hostKey.split(" ");
            Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + typeAndKey[0] + " " + typeAndKey[1] + "\n");
            sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Camel's SFTP paths are relative to the user's home directory: name the test folders from there.
        String base = "sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + port + "/";
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath();
        return Map.of("weft.systems.wms.inbox", base + home.relativize(wmsInbox().toAbsolutePath()),
                "weft.systems.wms.outbox", base + home.relativize(wmsOutbox().toAbsolutePath()),
                "weft.systems.wms.private-key-file", dir.resolve("client_key").toString(),
                "weft.systems.wms.known-hosts-file", dir.resolve("known_hosts").toString(),
                "weft.systems.wms.poll-interval-ms", "200");
    }

    private static void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("sshd not listening on " + port + ": " + Files.readString(dir.resolve("sshd.log")));
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (sshd != null) {
            sshd.destroy();
        }
    }
}
