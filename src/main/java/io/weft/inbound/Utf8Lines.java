package io.weft.inbound;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text file's lines, each decoded as UTF-8 on its own (a line break byte never occurs inside a UTF-8
 * sequence), so that one line with a broken byte sequence is refused alone instead of being silently
 * changed to U+FFFD or failing the whole file. A leading byte order mark is dropped, a trailing CR too.
 */
final class Utf8Lines {
    private Utf8Lines() {
    }

    /** The lines; a line that is not valid UTF-8 is null. */
    static List<String> split(byte[] raw) {
        List<String> lines = new ArrayList<>();
        int start = startAfterBom(raw);
        for (int i = start; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '\n') {
                lines.add(decode(raw, start, lineEnd(raw, start, i)));
                start = i + 1;
            }
        }
        return lines;
    }

    /** Line {@code index} (0-based) with broken sequences replaced by U+FFFD: for reports, never for data. */
    static String lenient(byte[] raw, int index) {
        int start = startAfterBom(raw);
        int line = 0;
        for (int i = start; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '\n') {
                if (line++ == index) {
                    return new String(raw, start, lineEnd(raw, start, i) - start, StandardCharsets.UTF_8);
                }
                start = i + 1;
            }
        }
        return "";
    }

    /**
     * One line as the Splitter hands it over (read as ISO-8859-1, so each char is one byte of the file), decoded as
     * UTF-8 on its own: null when it is not valid UTF-8. The first line loses a byte order mark, every line a
     * trailing CR.
     */
    static String decodeLine(String latin1, boolean first) {
        byte[] raw = latin1.getBytes(StandardCharsets.ISO_8859_1);
        int start = first ? startAfterBom(raw) : 0;
        return decode(raw, start, lineEnd(raw, start, raw.length));
    }

    /** The same line with broken sequences replaced by U+FFFD: for reports, never for data. */
    static String lenientLine(String latin1, boolean first) {
        byte[] raw = latin1.getBytes(StandardCharsets.ISO_8859_1);
        int start = first ? startAfterBom(raw) : 0;
        return new String(raw, start, lineEnd(raw, start, raw.length) - start, StandardCharsets.UTF_8);
    }

    private static int startAfterBom(byte[] raw) {
        return raw.length >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF ? 3 : 0;
    }

    private static int lineEnd(byte[] raw, int start, int end) {
        return end > start && raw[end - 1] == '\r' ? end - 1 : end;
    }

    private static String decode(byte[] raw, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
