package io.weft.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Places in a mapping's text, for error messages that name a line, a column and the expression there. */
final class SourcePositions {
    private SourcePositions() {
    }

    /** The line and column of a character offset into {@code source}, or null when unknown. */
    static Mappings.Position at(String source, int offset) {
        if (source == null || offset < 0) {
            return null;
        }
        int at = Math.min(offset, source.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int lineEnd = source.indexOf('\n', lineStart);
        String text = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd).strip();
        return new Mappings.Position(line, at - lineStart + 1, text);
    }

    /** The {@code $weftLookup('table', ...)} call in {@code source} that most likely failed on {@code code}. */
    static Mappings.Position lookupCall(String source, String table, Object input, String code) {
        if (source == null) {
            return null;
        }
        Pattern call = Pattern.compile("\\$weftLookup(?:Key)?\\(\\s*['\"]" + Pattern.quote(table) + "['\"]");
        Mappings.Position first = null;
        Matcher m = call.matcher(source);
        while (m.find()) {
            Mappings.Position at = at(source, m.start());
            if (first == null) {
                first = at;
            }
            if (!InputPaths.read(at.text(), input, code).isEmpty()) {
                return at;
            }
        }
        return first;
    }
}
