package io.weft.deploy;

import io.weft.testing.WeftProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a plant's Weft must find under /deployments/routes and /deployments/mappings, worked out from the sources
 * (not from k8s/generate.sh's output): the repository's files, the overlay's plant/ files on top, less plant/remove.txt.
 */
final class PlantFiles {
    private PlantFiles() {
    }

    /** Path under {@code kind} (routes or mappings) to file content. */
    static Map<String, String> expected(Path overlay, String kind) throws IOException {
        Map<String, String> files = read(WeftProcess.projectDir().resolve(kind));
        files.putAll(read(overlay.resolve("plant").resolve(kind)));
        Path remove = overlay.resolve("plant/remove.txt");
        if (Files.isRegularFile(remove)) {
            for (String line : Files.readAllLines(remove)) {
                String path = line.strip();
                if (path.isEmpty() || path.startsWith("#") || !path.startsWith(kind + "/")) {
                    continue;
                }
                String rel = path.substring(kind.length() + 1);
                files.keySet().removeIf(f -> f.equals(rel) || f.startsWith(rel + "/"));
            }
        }
        return files;
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }
}
