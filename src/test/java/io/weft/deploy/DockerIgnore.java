package io.weft.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/** The rules of a {@code .dockerignore}: the last matching pattern decides, {@code !} sends a path after all. */
record DockerIgnore(List<String> patterns) {
    static DockerIgnore read(Path file) throws IOException {
        return new DockerIgnore(Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
    }

    /** Whether {@code path} (relative to the build context) goes into the context sent to the builder. */
    boolean sends(String path) {
        boolean sent = true;
        for (String pattern : patterns) {
            boolean include = pattern.startsWith("!");
            String glob = (include ? pattern.substring(1) : pattern).replaceAll("/$", "");
            if (matches(glob, path)) {
                sent = include;
            }
        }
        return sent;
    }

    private static boolean matches(String glob, String path) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        // A pattern naming a folder covers everything in it.
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            if (matcher.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
