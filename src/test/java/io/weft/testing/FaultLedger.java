package io.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The accounting of a fault scenario, written by the fault tests when {@code bench/faults.sh} runs them (system
 * property {@code weft.faults.ledger} names the file; without it nothing is written): how many messages the
 * sources were told are safe, how many the journal holds, how many distinct ones the destination confirmed, and
 * how many it received more than once. One tab-separated line per scenario and store, read by faults.sh.
 * Recorded before the test asserts, so a failing run shows its figures too.
 */
public final class FaultLedger {
    private FaultLedger() {
    }

    public static void record(String scenario, String store, long acknowledged, long journaled, long delivered,
                              long duplicates, String note) {
        String file = System.getProperty("weft.faults.ledger");
        if (file == null || file.isBlank()) {
            return;
        }
        String line = String.join("\t", Instant.now().toString(), scenario, store, String.valueOf(acknowledged),
                String.valueOf(journaled), String.valueOf(delivered), String.valueOf(duplicates),
                note == null ? "" : note.replace('\t', ' ').replace('\n', ' ')) + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault ledger " + file, e);
        }
    }

    /** Requests a destination received per message key: distinct keys, and receipts beyond the first of each. */
    public static <T> long[] distinctAndDuplicates(Collection<T> received, Function<T, String> key) {
        Map<String, Long> perKey = received.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
        long duplicates = perKey.values().stream().mapToLong(n -> n - 1).sum();
        return new long[] {perKey.size(), duplicates};
    }
}
