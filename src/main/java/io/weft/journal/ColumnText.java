package io.weft.journal;

import java.nio.charset.StandardCharsets;

/** Texts as the rejection table's columns take them, so that recording a rejection never fails on its data. */
final class ColumnText {
    private ColumnText() {
    }

    /**
     * A text as its column takes it: cut to {@code max} characters and with NUL written as the six
     * characters of its JSON escape (backslash, u, 0000), since PostgreSQL refuses the character itself and a
     * rejection that cannot be recorded would leave the message unacknowledged, to come back forever.
     */
    static String cut(String text, int max) {
        String t = storable(text);
        return t == null || t.length() <= max ? t : t.substring(0, max - 3) + "...";
    }

    static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "\\u0000");
    }

    /**
     * An id (the source message id), within its column yet still telling messages apart (it is the key that
     * keeps a rejection from being listed twice): an over-long one keeps its start and ends with a digest of
     * the whole.
     */
    static String distinct(String id, int max) {
        String t = storable(id);
        if (t == null || t.length() <= max) {
            return t;
        }
        try {
            String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(t.getBytes(StandardCharsets.UTF_8)));
            return t.substring(0, max - 1 - digest.length()) + "#" + digest;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
