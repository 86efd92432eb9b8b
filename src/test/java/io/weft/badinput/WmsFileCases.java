package io.weft.badinput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Goods receipt files for the WMS spoke, generated from a fixed seed: each file mixes good rows with rows that
 * are bad by construction (wrong number of values, values its mapping cannot translate, a receipt number its
 * schema or the journal cannot hold, a NUL, bytes that are not UTF-8, a broken quote). Plus a file whose name is
 * so long that its rows' source message ids exceed their column.
 */
final class WmsFileCases {
    static final long SEED = 20261202L;
    static final String HEADER = "receipt;site;po;received;line;sku;qty;uom;lot;bin";

    /** A row: its content (bytes, since some are not UTF-8), whether it must flow, and its receipt number. */
    record Row(String kind, byte[] content, boolean good, String receipt) {
    }

    record FileCase(int number, String name, List<Row> rows) {
        long good() {
            return rows.stream().filter(Row::good).count();
        }

        byte[] content() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
            rows.forEach(r -> {
                out.writeBytes(r.content());
                out.write('\n');
            });
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return String.format("file #%d %s: %d rows, %d bad (%s)", number, name.length() > 40 ? name.substring(0, 40)
                    + "...(" + name.length() + " chars)" : name, rows.size(), rows.size() - good(),
                    String.join(", ", rows.stream().filter(r -> !r.good()).map(Row::kind).distinct().toList()));
        }
    }

    private static final String[] BAD_KINDS = {"too few values", "too many values", "unknown unit", "quantity not a number",
        "quantity out of range", "quantity of 400 digits", "receipt number over 64 characters", "receipt number with NUL",
        "lot not UTF-8", "unterminated quote", "empty receipt number", "unknown site", "header-like row"};

    private WmsFileCases() {
    }

    static List<FileCase> generate() {
        Random random = new Random(SEED);
        List<FileCase> files = new ArrayList<>();
        int n = 0;
        for (int f = 1; f <= 8; f++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                String receipt = "GR" + f + "x" + i + "-" + CaseBook.RUN;
                rows.add(random.nextInt(3) == 0 ? good(receipt, i) : bad(BAD_KINDS[random.nextInt(BAD_KINDS.length)], receipt, i));
            }
            files.add(new FileCase(++n, "bad-" + f + "-" + CaseBook.RUN + ".csv", rows));
        }
        // Every row of this file is refused alone: "<name>:<line>:<digest>" is longer than the 256 the journal holds.
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String receipt = "GRL" + i + "-" + CaseBook.RUN;
            rows.add(new Row("source id over 256 characters", good(receipt, i).content(), false, receipt));
        }
        // 244 characters: the most Camel's read lock takes (it adds a marker file "<name>.camelLock", and file
        // names end at 255 bytes), and yet <name>:<line>:<digest> is over 256.
        files.add(new FileCase(++n, "long-" + CaseBook.RUN + "-" + "n".repeat(228) + ".csv", rows));
        return files;
    }

    private static Row good(String receipt, int line) {
        return new Row("good", utf8(row(receipt, "WH-P1", String.valueOf(line + 1), "1000", "EA", "L-" + line)), true, receipt);
    }

    private static Row bad(String kind, String receipt, int line) {
        String l = String.valueOf(line + 1);
        byte[] content = switch (kind) {
            case "too few values" -> utf8(receipt + ";WH-P1;4500001234;2026-11-28T07:15:00Z;" + l + ";MAT-4711;1000;EA;L-1");
            case "too many values" -> utf8(row(receipt, "WH-P1", l, "1000", "EA", "L-1") + ";extra");
            case "unknown unit" -> utf8(row(receipt, "WH-P1", l, "1000", "XYZ", "L-1"));
            case "quantity not a number" -> utf8(row(receipt, "WH-P1", l, "abc", "EA", "L-1"));
            case "quantity out of range" -> utf8(row(receipt, "WH-P1", l, "1e999999", "EA", "L-1"));
            case "quantity of 400 digits" -> utf8(row(receipt, "WH-P1", l, "9".repeat(400), "EA", "L-1"));
            case "receipt number over 64 characters" -> utf8(row(receipt + "r".repeat(300), "WH-P1", l, "1000", "EA", "L-1"));
            case "receipt number with NUL" -> utf8(row(receipt + "\u0000x", "WH-P1", l, "1000", "EA", "L-1"));
            case "lot not UTF-8" -> JsonCases.insert(utf8(row(receipt, "WH-P1", l, "1000", "EA", "L-1")),
                    utf8(row(receipt, "WH-P1", l, "1000", "EA", "L-")).length, new byte[]{(byte) 0xC3, 0x28});
            case "unterminated quote" -> utf8(row(receipt, "WH-P1", l, "1000", "EA", "\"L-1"));
            case "empty receipt number" -> utf8(row("", "WH-P1", l, "1000", "EA", "L-1"));
            case "unknown site" -> utf8(row(receipt, "WH-ZZ", l, "1000", "EA", "L-1"));
            default -> utf8(HEADER);
        };
        return new Row(kind, content, false, receipt);
    }

    private static String row(String receipt, String site, String line, String qty, String uom, String lot) {
        return String.join(";", receipt, site, "4500001234", "2026-11-28T07:15:00Z", line, "MAT-4711", qty, uom, lot, "A-01-03");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
