package io.weft.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The problems found so far, and the helpers every check uses to place one at a line and column. */
final class Findings {
    private final List<Finding> all = new ArrayList<>();
    private final Map<Path, String> texts = new HashMap<>();
    private int checkedFiles;

    void add(Path file, int line, int column, String problem) {
        all.add(new Finding(file, line, column, problem));
    }

    void add(Finding finding) {
        all.add(finding);
    }

    List<Finding> all() {
        return all;
    }

    boolean anyIn(Path file) {
        return all.stream().anyMatch(f -> f.file().equals(file));
    }

    void checked(int files) {
        checkedFiles += files;
    }

    int checkedFiles() {
        return checkedFiles;
    }

    /** The file's text (read once), or null after reporting that it cannot be read. */
    String text(Path file) {
        return texts.computeIfAbsent(file, f -> {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                add(f, 0, 0, "cannot read: " + e.getMessage());
                return null;
            }
        });
    }

    /** A problem at a character offset of the file's text. */
    void at(Path file, int offset, String problem) {
        String text = text(file);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; text != null && i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        add(file, line, offset - lineStart + 1, problem);
    }

    /**
     * A problem at the first place, from line {@code line} on (a model node's line: its step may spread over
     * the next lines), where {@code needle} appears; at the line's first non-blank column if it does not.
     */
    void near(Path file, int line, String needle, String problem) {
        String text = text(file);
        if (text == null || line <= 0) {
            add(file, line, 0, problem);
            return;
        }
        List<String> lines = text.lines().toList();
        for (int i = line - 1; needle != null && i < Math.min(lines.size(), line + 30); i++) {
            int column = lines.get(i).indexOf(needle);
            if (column >= 0) {
                add(file, i + 1, column + 1, problem);
                return;
            }
        }
        String own = line <= lines.size() ? lines.get(line - 1) : "";
        add(file, line, own.length() - own.stripLeading().length() + 1, problem);
    }

    /** The files under {@code dir} whose names end in {@code suffix}, examples excluded, sorted. */
    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f)
                    && !f.toString().replace('\\', '/').contains("/examples/")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
