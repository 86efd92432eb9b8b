package io.weft.spoke;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.weft.testing.Destinations;
import io.weft.testing.Orders;
import io.weft.testing.SftpServer;
import io.weft.testing.TestStores;
import io.weft.testing.WmsFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SFTP host key checking is on: against a real OpenSSH server whose host key is not the one in Weft's
 * known_hosts file (an impostor, or a server re-keyed without telling), the WMS spoke does not log in: a file in
 * the inbox stays there and nothing is published.
 */
@QuarkusTest
@TestProfile(SftpWrongHostKeyTest.Profile.class)
class SftpWrongHostKeyTest {
    public static class Profile extends TestStores.PostgresWithSftpWms {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Destinations.class, Map.of("wms", "none")),
                    new TestResourceEntry(WrongHostKey.class));
        }
    }

    /** The real SFTP server, with Weft's known_hosts naming another key for it. */
    public static class WrongHostKey extends SftpServer {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try {
                Path other = Files.createTempDirectory("weft-other-key-").resolve("key");
                Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor();
                String line = Files.readString(knownHosts()).trim();
                String[] otherKey = Files.readString(Path.of(other + ".pub")).trim().split(" ");
                Files.writeString(knownHosts(), line.split(" ")[0] + " " + otherKey[0] + " " + otherKey[1] + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return config;
        }
    }

    @Test
    void aServerWithAnotherHostKeyIsRefused() throws Exception {
        String gr = "GR-" + Orders.nextOrderNumber();
        String name = gr + ".csv";
        WmsFiles.drop(SftpServer.wmsInbox(), name, """
                receipt;site;po;received;line;sku;qty;uom;lot;bin
                %1$s;WH-P1;4500001234;2026-11-28T07:15:00Z;1;MAT-4711;1000;EA;L-1;A-01-03
                """.formatted(gr));
        Thread.sleep(6000); // thirty of the profile's polls
        assertTrue(Files.exists(SftpServer.wmsInbox().resolve(name)), "the file was not taken");
        assertFalse(Files.exists(SftpServer.wmsInbox().resolve("done").resolve(name)));
        given().queryParam("businessKey", gr).get("/api/messages").then().statusCode(200).body("", hasSize(0));
    }
}
