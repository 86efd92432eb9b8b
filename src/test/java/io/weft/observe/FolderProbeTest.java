package io.weft.observe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health of drop folders: local folders that can be written (or created), SFTP servers that answer. */
class FolderProbeTest {

    @Test
    void aWritableFolderOrOneThatCanBeCreatedIsUp(@TempDir Path dir) {
        assertTrue(SpokeProbes.folder("file:" + dir).isEmpty());
        assertTrue(SpokeProbes.folder("file:" + dir.resolve("wms/outbox")).isEmpty());
    }

    @Test
    void aFolderBlockedByAFileIsDownAndSaysWhy(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertEquals(file + " is not a folder", SpokeProbes.folder("file:" + file).orElseThrow());
        assertTrue(SpokeProbes.folder("file:" + file.resolve("outbox")).orElseThrow().contains("cannot be created"));
    }

    @Test
    void anSftpFolderIsUpWhenItsServerAcceptsConnections() throws IOException {
        int closedPort;
        try (ServerSocket server = new ServerSocket(0)) {
            assertTrue(SpokeProbes.folder("sftp://wms@127.0.0.1:" + server.getLocalPort() + "/drop/outbox").isEmpty());
            closedPort = server.getLocalPort();
        }
        assertTrue(SpokeProbes.folder("sftp://wms@127.0.0.1:" + closedPort + "/drop/outbox").orElseThrow()
                .startsWith("cannot connect to 127.0.0.1:" + closedPort));
    }
}
