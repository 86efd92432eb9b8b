package io.weft.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The error report left beside a finished file ({@code done/<file>.errors.csv}): its name and its content. */
public final class ErrorReport {
    private ErrorReport() {
    }

    /**
     * {@code <file>.errors.csv}; for a name so long that this would pass 255 bytes (the limit of common file
     * systems, and the report could then not be written, failing the file on every poll), the name's start and a
     * digest of the whole name.
     */
    public static String name(String file) {
        String suffix = ".errors.csv";
        if ((file + suffix).getBytes(StandardCharsets.UTF_8).length <= 255) {
            return file + suffix;
        }
        String digest = "-" + sha256(file).substring(0, 16);
        String start = file;
        while ((start + digest + suffix).getBytes(StandardCharsets.UTF_8).length > 255) {
            start = start.substring(0, start.offsetByCodePoints(start.length(), -1));
        }
        return start + digest + suffix;
    }

    /** The error report: file, line, problem, content (the line as it was), with the input's separator. */
    static String csv(List<CsvRows.RowProblem> problems, String separator) {
        StringBuilder out = new StringBuilder();
        String sep = separator;
        out.append("file").append(sep).append("line").append(sep).append("problem").append(sep).append("content\n");
        for (CsvRows.RowProblem p : problems) {
            out.append(quote(p.file(), sep)).append(sep).append(p.line()).append(sep)
                    .append(quote(p.problem(), sep)).append(sep).append(quote(p.content(), sep)).append('\n');
        }
        return out.toString();
    }

    private static String quote(String value, String separator) {
        String v = value == null ? "" : value.replace("\r", " ").replace("\n", " ");
        if (v.contains(separator) || v.contains("\"")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
