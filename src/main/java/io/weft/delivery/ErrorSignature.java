package io.weft.delivery;

import java.util.regex.Pattern;

/**
 * An attempt's error with what differs between occurrences of the same cause collapsed (ids, order numbers,
 * times, ports), so that failures group by cause: "HTTP 500 for order 1000123" and "... 1000124" are one group.
 * Numbers of up to three digits stay (an HTTP status is part of the cause).
 */
public final class ErrorSignature {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** A host's port (the host stays: it tells which system): 127.0.0.1:8094, mes.plant.local:443. */
    private static final Pattern PORT = Pattern.compile("\\b(\\d{1,3}(?:\\.\\d{1,3}){3}|localhost|[\\w-]+(?:\\.[\\w-]+)+):\\d{1,5}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z?)?"
            + "|(?<![\\d.:])\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(?![\\d:])");
    /** Hex ids (a hash, a trace id): 8 or more hex characters with both a digit and a letter. */
    private static final Pattern HEX_ID = Pattern.compile(
            "\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{4,}");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    static final int MAX = 300;

    private ErrorSignature() {
    }

    public static String of(String error) {
        if (error == null || error.isBlank()) {
            return "";
        }
        String s = UUID.matcher(error).replaceAll("<id>");
        s = PORT.matcher(s).replaceAll("$1:#");
        s = TIMESTAMP.matcher(s).replaceAll("<time>");
        s = HEX_ID.matcher(s).replaceAll("<id>");
        s = LONG_NUMBER.matcher(s).replaceAll("#");
        s = SPACES.matcher(s).replaceAll(" ").trim();
        return s.length() <= MAX ? s : s.substring(0, MAX - 3) + "...";
    }
}
