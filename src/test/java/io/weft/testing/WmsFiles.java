package io.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** Reading the WMS's CSV files (';'-separated, a header line) in tests, and waiting for them to appear. */
public final class WmsFiles {
    private WmsFiles() {
    }

    /** The file Weft writes for a message: {@code <Type>-<message id>.csv} in the outbox. */
    public static Path awaitOutboxFile(Path outbox, String type, String messageId, Duration timeout) {
        Path file = outbox.resolve(type + "-" + messageId + ".csv");
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> Files.isRegularFile(file));
        return file;
    }

    /** The rows of a ';'-separated file with a header line, as column name to value (no quoting in these files). */
    public static List<Map<String, String>> rows(Path file) {
        List<String> lines = lines(file);
        String[] header = lines.get(0).split(";", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] values = line.split(";", -1);
            if (values.length != header.length) {
                throw new AssertionError(file + ": " + values.length + " values under " + header.length + " columns: " + line);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], values[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    public static List<String> header(Path file) {
        return List.of(lines(file).get(0).split(";", -1));
    }

    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the regular files directly in {@code folder}. */
    public static List<String> names(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file into a drop folder the way a careful system does: under a temporary name, then renamed. */
    public static Path drop(Path folder, String name, String content) {
        try {
            Path temp = folder.resolve("." + name + ".part");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            return Files.move(temp, folder.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
