package io.weft.shadow;

import io.weft.mapping.MappingException;
import io.weft.mapping.Mappings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a system's candidates live on this instance, without a restart: each live mapping is kept as
 * {@code <name>.retired-<UTC time>} beside it, the candidate is moved (atomically where the file system can) onto
 * the live name, and the mapper reads the file again, so the next delivery applies it. A delivery already
 * mapping finishes with the old text. Every candidate must compile first: one that does not stops the
 * promotion before any file is touched.
 */
@ApplicationScoped
public class Promotion {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    @Inject
    Mappings mapper;

    public record Promoted(String live, String candidate, String retired) {
    }

    /** Compiles each candidate; the first that fails is thrown as its {@link MappingException}. */
    public void check(List<Candidates.Pair> pairs) {
        for (Candidates.Pair pair : pairs) {
            mapper.reload(pair.candidate());
            mapper.compile(pair.candidate());
        }
    }

    public synchronized List<Promoted> promote(List<Candidates.Pair> pairs) {
        check(pairs);
        List<Promoted> done = new ArrayList<>();
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        for (Candidates.Pair pair : pairs) {
            Path dir = mapper.mappingsDir();
            Path live = dir.resolve(pair.live());
            Path candidate = dir.resolve(pair.candidate());
            String retired = null;
            try {
                if (Files.isRegularFile(live)) {
                    retired = pair.live() + ".retired-" + stamp;
                    Files.copy(live, dir.resolve(retired), StandardCopyOption.REPLACE_EXISTING);
                }
                move(candidate, live);
            } catch (IOException e) {
                throw new UncheckedIOException("promoting " + pair.candidate() + ": " + e.getMessage(), e);
            }
            mapper.reload(pair.live());
            mapper.reload(pair.candidate());
            done.add(new Promoted(pair.live(), pair.candidate(), retired));
        }
        return done;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
