package io.weft.ops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A system's own configuration files, read-only: its route file ({@code routes/systems/<system>.camel.yaml}) and
 * its mappings ({@code mappings/<system>/*}, the files directly in that folder). A file is served only when its
 * name is one of these lists, so no name (a {@code ..}, an absolute path) reaches another file.
 */
@ApplicationScoped
public class SystemFiles {

    @ConfigProperty(name = "weft.routes-dir", defaultValue = "routes")
    String routesDir;
    @ConfigProperty(name = "weft.mappings-dir", defaultValue = "mappings")
    String mappingsDir;

    public List<String> routeFiles(String system) {
        return list(Path.of(routesDir, "systems"), f -> f.equals(system + ".camel.yaml"));
    }

    public List<String> mappings(String system) {
        return list(Path.of(mappingsDir, system), f -> true);
    }

    /** The text of one of the system's files, or empty when the name is not one of them. */
    public Optional<String> read(String system, String file) {
        Path path;
        if (routeFiles(system).contains(file)) {
            path = Path.of(routesDir, "systems", file);
        } else if (mappings(system).contains(file)) {
            path = Path.of(mappingsDir, system, file);
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> list(Path dir, java.util.function.Predicate<String> wanted) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).filter(wanted)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
