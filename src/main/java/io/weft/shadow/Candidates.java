package io.weft.shadow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shadow convention: a candidate for the live mapping {@code <system>/<name>.out.jsonata} is the file
 * {@code <system>/candidate/<name>.out.jsonata} (for a versioned mapping {@code <system>/v2/candidate/...}). Its
 * presence alone turns the shadow run on; removing or promoting it turns it off.
 */
public final class Candidates {
    public static final String FOLDER = "candidate";
    private static final String OUTBOUND = ".out.jsonata";

    private Candidates() {
    }

    /** A live mapping and its candidate, both relative to the mappings folder with '/' separators. */
    public record Pair(String system, String live, String candidate) {
    }

    /** Outbound mappings are the ones a delivery applies; only they have candidates. */
    public static boolean isOutbound(String mappingFile) {
        return mappingFile.endsWith(OUTBOUND) && !mappingFile.contains("/" + FOLDER + "/");
    }

    public static String candidateOf(String liveFile) {
        int slash = liveFile.lastIndexOf('/');
        return liveFile.substring(0, slash + 1) + FOLDER + "/" + liveFile.substring(slash + 1);
    }

    /** The live mapping a candidate file stands in for, or null when the path is not a candidate's. */
    public static String liveOf(String candidateFile) {
        String marker = "/" + FOLDER + "/";
        int at = candidateFile.lastIndexOf(marker);
        if (at <= 0 || candidateFile.indexOf('/', at + marker.length()) >= 0) {
            return null;
        }
        return candidateFile.substring(0, at + 1) + candidateFile.substring(at + marker.length());
    }

    public static String systemOf(String mappingFile) {
        int slash = mappingFile.indexOf('/');
        return slash < 0 ? "" : mappingFile.substring(0, slash);
    }

    /** Every candidate under {@code mappings/<system>/} (the system's folder and its version folders). */
    public static List<Pair> of(Path mappingsDir, String system) {
        List<Pair> pairs = new ArrayList<>();
        Path root = mappingsDir.resolve(system);
        if (!Files.isDirectory(root)) {
            return pairs;
        }
        try (Stream<Path> files = Files.walk(root, 3)) {
            files.filter(f -> Files.isRegularFile(f) && f.getParent().getFileName().toString().equals(FOLDER)
                            && f.getFileName().toString().endsWith(OUTBOUND))
                    .sorted()
                    .forEach(f -> {
                        String candidate = mappingsDir.relativize(f).toString().replace('\\', '/');
                        pairs.add(new Pair(system, liveOf(candidate), candidate));
                    });
        } catch (IOException e) {
            return pairs;
        }
        return pairs;
    }

    /** Every candidate in the mappings folder, for every system. */
    public static List<Pair> all(Path mappingsDir) {
        List<Pair> pairs = new ArrayList<>();
        try (Stream<Path> systems = Files.list(mappingsDir)) {
            systems.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted()
                    .forEach(system -> pairs.addAll(of(mappingsDir, system)));
        } catch (IOException e) {
            return pairs;
        }
        return pairs;
    }
}
