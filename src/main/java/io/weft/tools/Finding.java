package io.weft.tools;

import java.nio.file.Path;

/** One problem, at a file and, where known, a line and column (1-based; 0 when unknown). */
public record Finding(Path file, int line, int column, String problem) {
    @Override
    public String toString() {
        return file.toString().replace('\\', '/') + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "")
                + ": " + problem;
    }
}
