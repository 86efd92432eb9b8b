package io.weft.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** Which file of a versioned mapping applies: {@code <system>/v<N>/<file>} (see {@link Mappings#mapVersioned}). */
final class MappingVersions {
    private MappingVersions() {
    }

    static String versionedFile(Path mappingsDir, Function<String, Optional<String>> defaultVersions,
                                String mappingFile, String version) {
        int slash = mappingFile.indexOf('/');
        String system = slash < 0 ? "" : mappingFile.substring(0, slash);
        String chosen = version == null || version.isBlank() ? defaultVersions.apply(system).orElse(null) : version.strip();
        if (chosen == null) {
            return mappingFile;
        }
        if (!Mappings.VERSION.matcher(chosen).matches()) {
            throw new MappingException(mappingFile, null, "API version '" + chosen + "' is not a version name", null);
        }
        String file = mappingFile.substring(0, slash + 1) + "v" + chosen + "/" + mappingFile.substring(slash + 1);
        if (!Files.isRegularFile(mappingsDir.resolve(file))) {
            throw new MappingException(file, null, system + " API version " + chosen + " has no mapping "
                    + file + "; versions with one: " + versionsOf(mappingsDir, mappingFile), null);
        }
        return file;
    }

    static List<String> versionsOf(Path mappingsDir, String mappingFile) {
        int slash = mappingFile.indexOf('/');
        Path systemDir = mappingsDir.resolve(mappingFile.substring(0, Math.max(slash, 0)));
        String name = mappingFile.substring(slash + 1);
        try (Stream<Path> dirs = Files.list(systemDir)) {
            return dirs.filter(d -> d.getFileName().toString().matches("v[A-Za-z0-9._-]+")
                            && Files.isRegularFile(d.resolve(name)))
                    .map(d -> d.getFileName().toString().substring(1)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
